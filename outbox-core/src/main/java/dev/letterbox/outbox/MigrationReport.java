package dev.letterbox.outbox;

/**
 * What one {@link OutboxSchema#migrateReporting} did: the version it found under the migration
 * lock and the status after it; immutable. Read under the lock, so of several processes migrating
 * at once exactly one reports the change (regression, issue 11 item 6: the "before" version was
 * read outside the lock, and concurrent {@code migrate} runs each printed "migrated from version 0
 * to 3").
 *
 * @param fromVersion the installed version found under the lock, 0 when the outbox was never migrated
 * @param status      the status after migrating
 */
public record MigrationReport(int fromVersion, SchemaStatus status) {
  /** Whether this call applied at least one migration. */
  public boolean migrated() {
    return fromVersion != status.current();
  }
}
