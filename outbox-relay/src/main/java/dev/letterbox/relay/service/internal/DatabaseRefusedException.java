package dev.letterbox.relay.service.internal;

/** The database answered but refused the connection: wrong credentials or database name. Retrying cannot help. */
public final class DatabaseRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the URL, the user and the fix. */
    public DatabaseRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
