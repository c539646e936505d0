package dev.letterbox.relay.service.internal;

/** The database or Kafka did not answer; a one-shot command gives up with exit code 7. */
public final class UnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming what was unreachable and where. */
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
