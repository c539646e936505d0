package dev.letterbox.outbox;

import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The acceptance suite on MariaDB (skipped, with the reason, when no MariaDB is available). */
@RequiresMariaDb
class MariaDbOutboxIT extends AbstractOutboxAcceptanceIT {
  private static TestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = MariaDbServer.sharedOrSkip().createDatabase("MariaDbOutboxIT");
  }

  @Override
  protected DataSource dataSource() {
    return database.dataSource();
  }

  @Override
  protected SQLDialect jooqDialect() {
    return SQLDialect.MARIADB;
  }

  @Override
  protected int insertAndDeleteRoundTrips() {
    return 2;
  }

  @Test
  void upgradesAVersionTwoSchemaWhetherOrNotThePublishedIndexIsThereAlready() {
    String index = tables.prefix() + "event_published_idx";
    // a database migrated by a relay of schema version 2: no published index, two version rows
    dsl.execute("DROP INDEX " + q(index) + " ON " + q(tables.eventTable()));
    dsl.deleteFrom(DSL.table(tables.schemaVersionTableName())).where(DSL.field(DSL.quotedName("version")).gt(2)).execute();

    assertThat(OutboxSchema.of(tables).migrate(dataSource())).isEqualTo(new SchemaStatus(4, 4));
    assertThat(indexColumns(index)).isEqualTo("status,published_at");

    // the index in place but version 3 not recorded (a run stopped between the two, or the DDL run by
    // hand): MySQL has no CREATE INDEX IF NOT EXISTS, so migrate takes "duplicate key name" as done
    dsl.deleteFrom(DSL.table(tables.schemaVersionTableName())).where(DSL.field(DSL.quotedName("version")).gt(2)).execute();
    assertThat(OutboxSchema.of(tables).migrate(dataSource())).isEqualTo(new SchemaStatus(4, 4));
    assertThat(indexColumns(index)).isEqualTo("status,published_at");
  }

  private String indexColumns(String index) {
    return dsl.fetchSingle("SELECT group_concat(column_name ORDER BY seq_in_index) FROM information_schema.statistics"
        + " WHERE table_schema = database() AND table_name = ? AND index_name = ?", tables.eventTable(), index)
        .get(0, String.class);
  }

  /** MariaDB's schema is a database: qualify with this test's own database by name. */
  @Override
  protected String createSchema(String hint) {
    return database.name();
  }

  @Override
  protected String daysAgo(int days) {
    return "now(6) - INTERVAL " + days + " DAY";
  }
}
