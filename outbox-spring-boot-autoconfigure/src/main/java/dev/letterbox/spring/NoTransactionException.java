package dev.letterbox.spring;

import dev.letterbox.outbox.OutboxException;

/**
 * Thrown when Letterbox is asked to write outside a Spring-managed transaction on its
 * {@code DataSource}: the write would otherwise commit on its own (auto-commit), apart from the
 * business rows it belongs with. Annotate the calling method with {@code @Transactional}, or run
 * it in a {@code TransactionTemplate}. Immutable.
 */
public final class NoTransactionException extends OutboxException {
  private static final long serialVersionUID = 1L;

  /** What was attempted, e.g. {@code "TransactionalOutbox.append"}. */
  private final String operation;

  /** Creates the exception for {@code operation}. */
  public NoTransactionException(String operation, String detail) {
    super(operation + " needs a Spring-managed transaction on the outbox's DataSource, but " + detail
        + ": call it from a @Transactional method or a TransactionTemplate, so the event commits or rolls back"
        + " with the business rows");
    this.operation = operation;
  }

  /** What was attempted. */
  public String operation() {
    return operation;
  }
}
