package dev.letterbox.relay;

/**
 * The root of every unchecked exception the relay throws: a database that cannot be reached, a
 * strategy that cannot be found, or (through {@link PublishException}) a record Kafka refused.
 */
public class RelayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RelayException(String message) {
        super(message);
    }

    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
