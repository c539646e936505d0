package dev.letterbox.outbox;

/**
 * Thrown when {@code append} or {@code runOnce} receives a connection in auto-commit mode: the
 * event would be committed on its own, not atomically with the caller's business rows.
 */
public final class AutoCommitException extends OutboxException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the named operation, e.g. {@code Outbox.append}. */
  public AutoCommitException(String operation) {
    super(operation + " refused a connection in auto-commit mode: the write would commit on its own,"
        + " not atomically with your business rows. Call it inside a transaction: with JDBC"
        + " connection.setAutoCommit(false) ... connection.commit(); with jOOQ"
        + " dsl.transaction(cfg -> ...) and pass cfg.dsl().");
  }
}
