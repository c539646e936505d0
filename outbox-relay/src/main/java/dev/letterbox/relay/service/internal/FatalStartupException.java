package dev.letterbox.relay.service.internal;

/** The service cannot run and waiting will not help (schema missing or newer, credentials refused). */
public final class FatalStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * Creates the exception.
     *
     * @param exitCode the process exit code, one of {@link ExitCodes}
     * @param message  what happened and what to do
     * @param cause    the underlying error, may be null
     */
    public FatalStartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code for this failure. */
    public int exitCode() {
        return exitCode;
    }
}
