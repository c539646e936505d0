package dev.letterbox.relay;

import java.util.UUID;

/**
 * A record could not be published to Kafka. Whether trying again may help is in the type:
 * {@link RetriablePublishException} (broker down or slow) or {@link PermanentPublishException}
 * (this record will never be accepted as it is: too large, invalid topic, not authorised).
 */
public abstract sealed class PublishException extends RelayException
        permits RetriablePublishException, PermanentPublishException {

    private static final long serialVersionUID = 1L;

    private final UUID eventId;
    private final String topic;

    protected PublishException(String message, UUID eventId, String topic, Throwable cause) {
        super(message, cause);
        this.eventId = eventId;
        this.topic = topic;
    }

    /** The id of the event that was not published. */
    public UUID eventId() {
        return eventId;
    }

    /** The topic it was meant for. */
    public String topic() {
        return topic;
    }

    /** True when the same record may be accepted later without change. */
    public abstract boolean retriable();
}
