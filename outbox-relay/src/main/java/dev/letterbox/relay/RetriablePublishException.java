package dev.letterbox.relay;

import java.util.UUID;

/** Kafka did not acknowledge a record for a reason that may pass (broker down, slow, leader moving): send it again later. */
public final class RetriablePublishException extends PublishException {

    private static final long serialVersionUID = 1L;

    public RetriablePublishException(String message, UUID eventId, String topic, Throwable cause) {
        super(message, eventId, topic, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
