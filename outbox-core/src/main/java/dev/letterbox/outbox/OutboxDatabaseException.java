package dev.letterbox.outbox;

import java.sql.SQLException;

/**
 * Thrown when the database rejects an outbox statement for a reason other than a missing table;
 * the cause is the driver's {@link SQLException}.
 */
public final class OutboxDatabaseException extends OutboxException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with what the library was doing and the driver's error. */
  public OutboxDatabaseException(String action, SQLException cause) {
    super(action + " failed: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
  }

  /** The driver's exception. */
  public SQLException sqlException() {
    return (SQLException) getCause();
  }
}
