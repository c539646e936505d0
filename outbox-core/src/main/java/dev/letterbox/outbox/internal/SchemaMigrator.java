package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.MigrationReport;
import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaStatus;
import dev.letterbox.outbox.SchemaVersionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** The stock {@link OutboxSchema}: versioned, idempotent migrations under a database lock; thread-safe. */
public final class SchemaMigrator implements OutboxSchema {
  /** The newest version in {@link Migration#ALL}. */
  public static final int LATEST_VERSION = Migration.ALL.get(Migration.ALL.size() - 1).version();

  private final OutboxTables tables;

  /** Creates the migrator of {@code tables}. */
  public SchemaMigrator(OutboxTables tables) {
    this.tables = tables;
  }

  @Override
  public OutboxTables tables() {
    return tables;
  }

  /** Attempts on H2, whose concurrent {@code CREATE ... IF NOT EXISTS} can collide (all steps are idempotent). */
  private static final int H2_ATTEMPTS = 5;

  @Override
  public SchemaStatus migrate(DataSource dataSource) {
    return migrateReporting(dataSource).status();
  }

  @Override
  public MigrationReport migrateReporting(DataSource dataSource) {
    for (int attempt = 1; ; attempt++) {
      try {
        return migrateOnce(dataSource);
      } catch (OutboxDatabaseException e) {
        if (attempt >= H2_ATTEMPTS || !(e.sqlException().getClass().getName().startsWith("org.h2."))) {
          throw e;
        }
      }
    }
  }

  private MigrationReport migrateOnce(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.detect(c);
      boolean autoCommit = c.getAutoCommit();
      try (MigrationLock lock = MigrationLock.acquire(c, dialect, versionTable(dialect))) {
        MigrationReport report = migrateLocked(c, dialect);
        lock.commit();
        return report;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("migrating the outbox schema " + describe(), e);
    }
  }

  private MigrationReport migrateLocked(Connection c, Dialect dialect) throws SQLException {
    DdlRenderer renderer = new DdlRenderer(dialect, tables);
    execute(c, dialect, renderer.statements(Migration.resource(dialect, "schema_version.sql")));
    int current = readVersion(c, dialect);
    int found = current;
    if (current > LATEST_VERSION) {
      throw new SchemaVersionException(versionTable(dialect), current, LATEST_VERSION);
    }
    for (Migration migration : Migration.ALL) {
      if (migration.version() > current) {
        execute(c, dialect, renderer.statements(migration.script(dialect)));
        recordVersion(c, dialect, migration);
        current = migration.version();
      }
    }
    return new MigrationReport(found, new SchemaStatus(current, LATEST_VERSION));
  }

  @Override
  public SchemaStatus status(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.detect(c);
      try {
        return new SchemaStatus(readVersion(c, dialect), LATEST_VERSION);
      } catch (SQLException e) {
        if (Dialect.isUndefinedTable(e)) {
          if (!c.getAutoCommit()) {
            c.rollback();
          }
          return new SchemaStatus(0, LATEST_VERSION);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("reading the outbox schema version " + describe(), e);
    }
  }

  private int readVersion(Connection c, Dialect dialect) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(" + dialect.quote("version") + ") FROM " + versionTable(dialect))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void recordVersion(Connection c, Dialect dialect, Migration migration) throws SQLException {
    String columns = " (" + dialect.quote("version") + ", " + dialect.quote("description") + ")";
    String sql = dialect == Dialect.H2
        // H2 migrates without a lock (all DDL is IF NOT EXISTS): MERGE keeps a race harmless.
        ? "MERGE INTO " + versionTable(dialect) + columns + " KEY (" + dialect.quote("version") + ") VALUES (?, ?)"
        : "INSERT INTO " + versionTable(dialect) + columns + " VALUES (?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, migration.version());
      ps.setString(2, migration.description());
      ps.executeUpdate();
    }
  }

  /** MariaDB's and MySQL's "Duplicate key name": the index a {@code CREATE INDEX} names exists. */
  private static final int ER_DUP_KEYNAME = 1061;

  private static void execute(Connection c, Dialect dialect, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          // MySQL has no CREATE INDEX IF NOT EXISTS, so the MariaDB scripts create indexes plainly; an
          // index already there (a run stopped before it recorded its version, or Flyway) is done
          if (dialect != Dialect.MARIADB || e.getErrorCode() != ER_DUP_KEYNAME) {
            throw e;
          }
        }
      }
    }
  }

  private String versionTable(Dialect dialect) {
    return dialect.table(tables, tables.schemaVersionTable());
  }

  private String describe() {
    return "(schema " + (tables.schema() == null ? "<current>" : tables.schema()) + ", prefix '" + tables.prefix() + "')";
  }
}
