package dev.letterbox.outbox;

/**
 * Thrown when an outbox table does not exist (the schema was never migrated, or the configured
 * schema/prefix points elsewhere).
 */
public final class SchemaMissingException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final String table;

  /**
   * Creates the exception.
   *
   * @param table the missing table, as rendered
   * @param cause the database error, may be {@code null}
   */
  public SchemaMissingException(String table, Throwable cause) {
    super("outbox table " + table + " does not exist: run OutboxSchema.of(tables).migrate(dataSource) (or apply"
        + " the SQL under /dev/letterbox/outbox/schema/) and check the configured schema and prefix", cause);
    this.table = table;
  }

  /** The missing table, as rendered in SQL. */
  public String table() {
    return table;
  }
}
