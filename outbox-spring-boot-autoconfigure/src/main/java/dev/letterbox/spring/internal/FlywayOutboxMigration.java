package dev.letterbox.spring.internal;

import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the outbox scripts shipped in outbox-core ({@code dev/letterbox/outbox/schema/<db>/V<n>__*.sql})
 * as Flyway migrations with their own history table, {@code outbox_flyway_history}, so their
 * version numbers never meet the application's own {@code V1}, {@code V2}: Flyway applies each
 * once, and a second start applies nothing. Afterwards it records the applied versions in
 * {@code outbox_schema_version}, which the relay service checks. Stateless and thread-safe.
 */
final class FlywayOutboxMigration {

  /** The history table of the outbox scripts, beside the application's {@code flyway_schema_history}. */
  static final String HISTORY_TABLE = OutboxTables.DEFAULT_PREFIX + "flyway_history";

  private static final Logger LOG = LoggerFactory.getLogger(FlywayOutboxMigration.class);

  private FlywayOutboxMigration() {
  }

  static void migrate(DataSource dataSource, OutboxTables tables) {
    if (!OutboxTables.ofDefaults().equals(tables)) {
      throw new InvalidPropertiesException(java.util.List.of("letterbox.database.schema and letterbox.database.table-prefix"
          + " must keep their defaults (the connection's schema, '" + OutboxTables.DEFAULT_PREFIX + "') when Flyway runs"
          + " the outbox scripts, which are written with the default names; they are " + tables + ": set"
          + " letterbox.schema.migrate=true to migrate with other names, or letterbox.schema.flyway=false"));
    }
    String folder = folder(dataSource);
    var configuration = Flyway.configure(FlywayOutboxMigration.class.getClassLoader()).dataSource(dataSource)
        .table(HISTORY_TABLE).locations("classpath:dev/letterbox/outbox/schema/" + folder)
        .baselineOnMigrate(true).baselineVersion("0").placeholderReplacement(false);
    Flyway flyway = configuration.load();
    MigrateResult result = flyway.migrate();
    recordVersions(dataSource, folder, flyway.info().applied());
    LOG.atInfo().addKeyValue("history_table", HISTORY_TABLE).addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("version", result.targetSchemaVersion).log("outbox schema migrated by Flyway");
  }

  private static String folder(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return "postgresql";
      }
      if (product.contains("mariadb") || product.contains("mysql")) {
        return "mariadb";
      }
      if (product.contains("h2")) {
        return "h2";
      }
      throw new IllegalStateException("the outbox has no Flyway scripts for " + product
          + ": use PostgreSQL, MariaDB or H2");
    } catch (SQLException e) {
      throw new OutboxDatabaseException("detecting the database for the outbox's Flyway scripts", e);
    }
  }

  /** Creates {@code outbox_schema_version} and inserts each version Flyway has applied, once. */
  private static void recordVersions(DataSource dataSource, String folder, MigrationInfo[] applied) {
    String insert = "mariadb".equals(folder)
        ? "INSERT IGNORE INTO outbox_schema_version (version, description) VALUES (?, ?)"
        : "h2".equals(folder)
            ? "MERGE INTO \"outbox_schema_version\" (\"version\", \"description\") KEY (\"version\") VALUES (?, ?)"
            : "INSERT INTO \"outbox_schema_version\" (\"version\", \"description\") VALUES (?, ?) ON CONFLICT DO NOTHING";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         PreparedStatement ps = c.prepareStatement(insert)) {
      s.execute(script(folder));
      for (MigrationInfo info : applied) {
        if (info.getVersion() != null && info.getState() == MigrationState.SUCCESS
            && info.getVersion().getMajor().intValue() > 0) {
          ps.setInt(1, info.getVersion().getMajor().intValue());
          ps.setString(2, info.getDescription());
          ps.executeUpdate();
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("recording the outbox schema versions Flyway applied", e);
    }
  }

  private static String script(String folder) {
    String path = "/dev/letterbox/outbox/schema/" + folder + "/schema_version.sql";
    try (InputStream in = FlywayOutboxMigration.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing " + path + " in the outbox-core jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n")).trim()
          .replaceAll(";$", "");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
  }
}
