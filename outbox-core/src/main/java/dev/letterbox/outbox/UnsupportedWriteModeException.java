package dev.letterbox.outbox;

/** Thrown when the configured {@link WriteMode} does not exist on the connected database. */
public final class UnsupportedWriteModeException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final WriteMode writeMode;
  private final String database;

  /**
   * Creates the exception.
   *
   * @param writeMode the configured mode
   * @param database the database product name the connection reported
   */
  public UnsupportedWriteModeException(WriteMode writeMode, String database) {
    super("write mode " + writeMode + " is not available on " + database + ": it exists on PostgreSQL only"
        + " (pg_logical_emit_message). Use WriteMode.TABLE or WriteMode.INSERT_AND_DELETE on this database.");
    this.writeMode = writeMode;
    this.database = database;
  }

  /** The refused mode. */
  public WriteMode writeMode() {
    return writeMode;
  }

  /** The database product name. */
  public String database() {
    return database;
  }
}
