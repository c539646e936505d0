package dev.letterbox.outbox;

/**
 * The outbox schema version installed in a database and the version this library expects;
 * immutable.
 *
 * @param current the installed version, 0 when the outbox was never migrated
 * @param expected the newest version this library knows
 */
public record SchemaStatus(int current, int expected) {
  /** Whether the installed version is the one this library expects. */
  public boolean upToDate() {
    return current == expected;
  }

  /** Whether the database holds a version newer than this library knows. */
  public boolean newerThanLibrary() {
    return current > expected;
  }
}
