package dev.letterbox.outbox;

/**
 * Thrown when the database holds an outbox schema version this library does not know (newer than
 * itself), so it refuses to touch it.
 */
public final class SchemaVersionException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final int found;
  private final int expected;

  /**
   * Creates the exception.
   *
   * @param table the schema-version table, as rendered
   * @param found the version recorded in the database
   * @param expected the newest version this library knows
   */
  public SchemaVersionException(String table, int found, int expected) {
    super("outbox schema in " + table + " is at version " + found + " but this library knows versions up to "
        + expected + ": it was migrated by a newer Letterbox. Upgrade this service's Letterbox, or point it at"
        + " another table prefix; it will not touch a newer schema.");
    this.found = found;
    this.expected = expected;
  }

  /** The version recorded in the database. */
  public int found() {
    return found;
  }

  /** The newest version this library knows. */
  public int expected() {
    return expected;
  }
}
