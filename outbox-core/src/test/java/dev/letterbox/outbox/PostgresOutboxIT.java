package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The acceptance suite on PostgreSQL, plus what only PostgreSQL has. */
class PostgresOutboxIT extends AbstractOutboxAcceptanceIT {
  private static TestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = PostgresServer.shared().createDatabase("PostgresOutboxIT");
  }

  @Override
  protected DataSource dataSource() {
    return database.dataSource();
  }

  @Override
  protected SQLDialect jooqDialect() {
    return SQLDialect.POSTGRES;
  }

  @Override
  protected int insertAndDeleteRoundTrips() {
    return 1;
  }

  @Override
  protected String createSchema(String hint) {
    String name = hint + "_" + nextPrefixNumber();
    dsl.execute("CREATE SCHEMA " + q(name));
    return name;
  }

  @Override
  protected String daysAgo(int days) {
    return "now() - interval '" + days + " days'";
  }

  @Test
  void eventTableHasItsOwnAutovacuumSettingsAndAPartialPendingIndex() {
    String options = dsl.fetchSingle("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = ?",
        tables.eventTable()).get(0, String.class);
    assertThat(options).contains("autovacuum_vacuum_scale_factor=0.01")
        .contains("autovacuum_vacuum_insert_scale_factor=0.01");
    String index = dsl.fetchSingle("SELECT indexdef FROM pg_indexes WHERE indexname = ?",
        tables.prefix() + "event_pending_idx").get(0, String.class);
    assertThat(index).contains("(seq)").contains("WHERE ((status)::text = 'PENDING'::text)");
    String parked = dsl.fetchSingle("SELECT indexdef FROM pg_indexes WHERE indexname = ?",
        tables.prefix() + "event_parked_idx").get(0, String.class);
    assertThat(parked).contains("(aggregatetype, aggregateid, seq)").contains("WHERE ((status)::text = 'PARKED'::text)");
  }

  @Test
  void upgradesAVersionOneSchemaToTheParkedAndPublishedIndexes() {
    // a database migrated by a relay of schema version 1: neither index, one version row
    dsl.dropIndex(DSL.quotedName(tables.prefix() + "event_parked_idx")).execute();
    dsl.dropIndex(DSL.quotedName(tables.prefix() + "event_published_idx")).execute();
    dsl.deleteFrom(DSL.table(tables.schemaVersionTableName())).where(DSL.field(DSL.quotedName("version")).gt(1)).execute();
    assertThat(OutboxSchema.of(tables).status(dataSource()).current()).isEqualTo(1);

    SchemaStatus status = OutboxSchema.of(tables).migrate(dataSource());

    assertThat(status).isEqualTo(new SchemaStatus(4, 4));
    assertThat(dsl.fetchCount(DSL.table("pg_indexes"), DSL.field("indexname").eq(tables.prefix() + "event_parked_idx")))
        .isEqualTo(1);
    String published = dsl.fetchSingle("SELECT indexdef FROM pg_indexes WHERE indexname = ?",
        tables.prefix() + "event_published_idx").get(0, String.class);
    assertThat(published).contains("(published_at)").contains("WHERE ((status)::text = 'PUBLISHED'::text)");
  }

  @Test
  void logicalMessageModeEmitsTransactionalMessagesTheCodecDecodes() throws Exception {
    String walLevel = dsl.fetchSingle("SHOW wal_level").get(0, String.class);
    Assumptions.assumeTrue("logical".equals(walLevel), "PostgreSQL runs with wal_level=" + walLevel
        + ": peeking logical messages needs wal_level=logical (unset OUTBOX_TEST_POSTGRES_URL to use the embedded"
        + " server, which has it)");
    String slot = "letterbox_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    dsl.fetch("SELECT pg_create_logical_replication_slot(?, 'test_decoding')", slot);
    try {
      Instant now = Instant.parse("2026-11-24T17:00:00.123456Z");
      Outbox messages = Outbox.builder().tables(tables).writeMode(WriteMode.LOGICAL_MESSAGE)
          .logicalMessagePrefix("letterbox.it").clock(Clock.fixed(now, ZoneOffset.UTC)).build();
      OutboxEvent first = event("lm-1").toBuilder().topic("orders.v1").header("quote", "a \"b\" \\ c\n").build();
      OutboxEvent tombstone = event("lm-2").toBuilder().payload((byte[]) null).build();
      inTransaction(c -> messages.appendAll(c, List.of(first, tombstone)));
      inTransaction(c -> messages.append(c, event("lm-3")));
      try {
        inTransaction(c -> {
          messages.append(c, event("rolled-back"));
          throw new IllegalStateException("rollback");
        });
      } catch (IllegalStateException expected) {
        // the message of a rolled-back transaction is never decoded
      }

      // Decoding reads only flushed WAL: with synchronous_commit=off the messages show up a moment later.
      List<String> changes = await().atMost(Duration.ofSeconds(30)).until(() -> dsl.fetch(
          "SELECT data FROM pg_logical_slot_peek_changes(?, NULL, NULL)", slot).getValues(0, String.class),
          c -> c.stream().filter(d -> d.startsWith("COMMIT")).count() >= 2);
      List<LogicalMessageCodec.Message> decoded = new ArrayList<>();
      for (String change : changes) {
        if (change.startsWith("message:")) {
          assertThat(change).contains("transactional: 1").contains("prefix: letterbox.it");
          String content = change.substring(change.indexOf("content:") + "content:".length());
          decoded.add(LogicalMessageCodec.decode(content.getBytes(StandardCharsets.UTF_8)));
        }
      }
      assertThat(decoded).as("decoded messages of %s", changes).hasSize(3);
      assertThat(decoded).extracting(LogicalMessageCodec.Message::event)
          .containsExactly(first, tombstone, event("lm-3").toBuilder().id(decoded.get(2).event().id()).build());
      assertThat(decoded).extracting(LogicalMessageCodec.Message::createdAt).containsOnly(now);
      assertThat(countEvents()).as("no table rows in LOGICAL_MESSAGE mode").isZero();
    } finally {
      dsl.fetch("SELECT pg_drop_replication_slot(?)", slot);
    }
  }
}
