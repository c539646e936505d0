package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.SchemaMigrator;
import javax.sql.DataSource;

/**
 * Creates and upgrades the outbox tables (event, lease, inbox, schema version) of one
 * {@link OutboxTables}; thread-safe, and safe when several processes migrate at once.
 *
 * <pre>{@code
 * OutboxSchema.of(OutboxTables.ofDefaults()).migrate(dataSource);   // at start-up, before append
 * }</pre>
 *
 * <p>The same DDL ships as plain SQL for Flyway/Liquibase users under
 * {@code /dev/letterbox/outbox/schema/<postgresql|mariadb|h2>/V<n>__*.sql} (default names).
 */
public interface OutboxSchema {
  /** The number of shards: the generated {@code shard} column holds {@code 0 .. SHARD_COUNT - 1}. */
  int SHARD_COUNT = 64;

  /** The schema of {@code tables}. */
  static OutboxSchema of(OutboxTables tables) {
    return new SchemaMigrator(tables);
  }

  /** The schema of the default tables ({@code outbox_*} in the current schema). */
  static OutboxSchema ofDefaults() {
    return of(OutboxTables.ofDefaults());
  }

  /** The newest schema version this library knows. */
  static int latestVersion() {
    return SchemaMigrator.LATEST_VERSION;
  }

  /**
   * Brings the tables up to {@link #latestVersion()}: applies the missing versions in order under
   * a database lock (PostgreSQL advisory lock, MariaDB {@code GET_LOCK}), does nothing when they
   * are current, and throws {@link SchemaVersionException} when the database holds a newer
   * version. Borrows one connection from {@code dataSource} and returns it; the data source stays
   * the caller's.
   *
   * @return the status after migrating
   */
  SchemaStatus migrate(DataSource dataSource);

  /**
   * Like {@link #migrate}, and reports the version it found under the migration lock, so that a
   * caller can say truthfully whether it migrated anything while other processes migrate too.
   *
   * @return the version found and the status after migrating
   */
  MigrationReport migrateReporting(DataSource dataSource);

  /** Reads the installed version (0 when none) without changing anything. */
  SchemaStatus status(DataSource dataSource);

  /** The tables this schema manages. */
  OutboxTables tables();
}
