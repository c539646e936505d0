package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.outbox.internal.Dialect;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class OutboxTablesTest {
  @Test
  void defaultNames() {
    OutboxTables tables = OutboxTables.ofDefaults();
    assertThat(tables.eventTable()).isEqualTo("outbox_event");
    assertThat(tables.leaseTable()).isEqualTo("outbox_lease");
    assertThat(tables.inboxTable()).isEqualTo("outbox_inbox");
    assertThat(tables.schemaVersionTable()).isEqualTo("outbox_schema_version");
  }

  @Test
  void rendersQuotedAndQualifiedNames() {
    OutboxTables tables = OutboxTables.of("billing", "bill_");
    assertThat(Dialect.POSTGRESQL.table(tables, tables.eventTable())).isEqualTo("\"billing\".\"bill_event\"");
    assertThat(Dialect.MARIADB.table(tables, tables.eventTable())).isEqualTo("`billing`.`bill_event`");
    assertThat(DSL.using(SQLDialect.POSTGRES).render(DSL.table(tables.inboxTableName())))
        .isEqualTo("\"billing\".\"bill_inbox\"");
  }

  @Test
  void refusesHostilePrefixesAndSchemas() {
    assertThatThrownBy(() -> OutboxTables.of(null, "x\"; DROP TABLE users; --"))
        .isInstanceOfSatisfying(InvalidConfigurationException.class,
            e -> assertThat(e.property()).isEqualTo("outbox.tables.prefix"))
        .hasMessageContaining("[a-z_][a-z0-9_]*").hasMessageContaining("DROP TABLE");
    assertThatThrownBy(() -> OutboxTables.of("a`b", "outbox_")).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("outbox.tables.schema");
    assertThatThrownBy(() -> OutboxTables.of("public.x", "outbox_")).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> OutboxTables.of(null, "Outbox_")).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> OutboxTables.of(null, "1x_")).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> OutboxTables.of(null, null)).isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void refusesPrefixesTooLongForIndexNames() {
    assertThatThrownBy(() -> OutboxTables.of(null, "p".repeat(41)))
        .hasMessageContaining("at most 40 characters");
    assertThat(OutboxTables.of(null, "p".repeat(40)).prefix()).hasSize(40);
    assertThat(OutboxTables.of(null, "").eventTable()).isEqualTo("event");
  }
}
