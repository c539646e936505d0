package dev.letterbox.relay;

import java.util.UUID;

/**
 * Kafka refused a record for a reason that sending it again will not change (too large, invalid
 * topic, not authorised, cannot be serialized): the relay parks the event.
 */
public final class PermanentPublishException extends PublishException {

    private static final long serialVersionUID = 1L;

    public PermanentPublishException(String message, UUID eventId, String topic, Throwable cause) {
        super(message, eventId, topic, cause);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
