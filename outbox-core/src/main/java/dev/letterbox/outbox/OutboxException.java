package dev.letterbox.outbox;

/**
 * Root of every exception the outbox library throws; unchecked, so callers catch only the
 * subclasses they handle differently.
 */
public class OutboxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what happened and what to do next. */
  public OutboxException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
