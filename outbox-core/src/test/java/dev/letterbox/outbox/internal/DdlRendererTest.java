package dev.letterbox.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.outbox.OutboxTables;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdlRendererTest {
  private static final OutboxTables CUSTOM = OutboxTables.of("billing", "bill_");

  private static String script(Dialect dialect) {
    return String.join(";\n", new DdlRenderer(dialect, CUSTOM).statements(Migration.ALL.get(0).script(dialect)));
  }

  @Test
  void postgresqlQualifiesTablesAndPrefixesIndexNames() {
    String sql = script(Dialect.POSTGRESQL);
    assertThat(sql).contains("CREATE TABLE IF NOT EXISTS \"billing\".\"bill_event\"")
        .contains("CREATE INDEX IF NOT EXISTS \"bill_event_pending_idx\" ON \"billing\".\"bill_event\"")
        .contains("\"billing\".\"bill_inbox\"").contains("\"billing\".\"bill_lease\"")
        .doesNotContain("outbox_");
  }

  @Test
  void mariadbUsesBackticks() {
    assertThat(script(Dialect.MARIADB)).contains("CREATE TABLE IF NOT EXISTS `billing`.`bill_event`")
        .contains("KEY `bill_event_status_seq_idx`").doesNotContain("outbox_");
  }

  @Test
  void h2QualifiesIndexNamesLikeTables() {
    assertThat(script(Dialect.H2)).contains("CREATE INDEX IF NOT EXISTS \"billing\".\"bill_event_status_seq_idx\"")
        .doesNotContain("outbox_");
  }

  @Test
  void splitsStatementsAndDropsComments() {
    List<String> statements = new DdlRenderer(Dialect.POSTGRESQL, OutboxTables.ofDefaults())
        .statements("-- comment ; here\nCREATE TABLE \"outbox_event\" (a int);\n\nCREATE INDEX \"outbox_x\" ON \"outbox_event\" (a);\n");
    assertThat(statements).containsExactly("CREATE TABLE \"outbox_event\" (a int)",
        "CREATE INDEX \"outbox_x\" ON \"outbox_event\" (a)");
  }

  @Test
  void everyDialectHasEveryVersionAndTheVersionTable() {
    for (Dialect dialect : Dialect.values()) {
      for (Migration migration : Migration.ALL) {
        assertThat(migration.script(dialect)).as("%s of %s", migration.scriptName(), dialect)
            .contains("version " + migration.version());
      }
      assertThat(Migration.ALL.get(0).script(dialect)).contains("outbox_event").contains("outbox_inbox")
          .contains("outbox_lease");
      assertThat(Migration.resource(dialect, "schema_version.sql")).contains("outbox_schema_version");
    }
  }
}
