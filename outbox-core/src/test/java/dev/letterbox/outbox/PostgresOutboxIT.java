package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

/** The acceptance suite on PostgreSQL, plus what only PostgreSQL has: logical messages, relay wake-ups. */
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

  @Test
  void onlyAnOutboxWithNotifyRelayWakesTheRelayOnItsChannel() throws Exception {
    try (RelayChannel relay = RelayChannel.listen(database, tables)) {
      inTransaction(c -> outbox.append(c, event("plain-1")));
      dsl.transaction(cfg -> outbox.appendAll(cfg.dsl(), List.of(event("plain-2"), event("plain-3"))));
      assertThat(relay.wakeUps()).as("default: no notification").isZero();

      Outbox notifying = Outbox.builder().tables(tables).notifyRelay(Duration.ZERO).build();
      inTransaction(c -> notifying.append(c, event("notifying")));
      assertThat(relay.wakeUps()).isEqualTo(1);
    }
    assertThat(countEvents()).isEqualTo(4);
  }

  @Test
  void aZeroIntervalWakesTheRelayOncePerCommittedTransactionOnJdbcAndJooq() throws Exception {
    Outbox notifying = Outbox.builder().tables(tables).notifyRelay(Duration.ZERO).build();
    try (RelayChannel relay = RelayChannel.listen(database, tables)) {
      inTransaction(c -> notifying.append(c, event("jdbc-1")));
      inTransaction(c -> notifying.appendAll(c, List.of(event("jdbc-2"), event("jdbc-3"))));
      dsl.transaction(cfg -> notifying.append(cfg.dsl(), event("jooq-1")));
      dsl.transaction(cfg -> notifying.appendAll(cfg.dsl(), List.of(event("jooq-2"), event("jooq-3"))));
      // PostgreSQL folds the identical notifications of one transaction into one
      inTransaction(c -> {
        notifying.append(c, event("twice-1"));
        notifying.append(c, event("twice-2"));
      });

      assertThat(relay.wakeUps()).isEqualTo(5);
    }
    assertThat(countEvents()).isEqualTo(8);
  }

  @Test
  void aLongIntervalWakesTheRelayOnceForManyCommits() throws Exception {
    Outbox hourly = Outbox.builder().tables(tables).notifyRelay(Duration.ofHours(1)).build();
    try (RelayChannel relay = RelayChannel.listen(database, tables)) {
      for (int i = 0; i < 3; i++) {
        String id = "jdbc-" + i;
        inTransaction(c -> hourly.append(c, event(id)));
      }
      dsl.transaction(cfg -> hourly.append(cfg.dsl(), event("jooq")));
      dsl.transaction(cfg -> hourly.appendAll(cfg.dsl(), List.of(event("jooq-all-1"), event("jooq-all-2"))));

      assertThat(relay.wakeUps()).isEqualTo(1);
    }
    assertThat(countEvents()).isEqualTo(6);
  }

  @Test
  void aRolledBackTransactionsWakeUpIsNeverDelivered() throws Exception {
    Outbox notifying = Outbox.builder().tables(tables).notifyRelay(Duration.ZERO).build();
    Outbox hourly = Outbox.builder().tables(tables).notifyRelay(Duration.ofHours(1)).build();
    try (RelayChannel relay = RelayChannel.listen(database, tables)) {
      assertThatThrownBy(() -> inTransaction(c -> {
        notifying.append(c, event("rolled-back-jdbc"));
        throw new IllegalStateException("rollback");
      })).hasMessage("rollback");
      assertThatThrownBy(() -> dsl.transaction(cfg -> {
        notifying.append(cfg.dsl(), event("rolled-back-jooq"));
        throw new IllegalStateException("rollback");
      })).hasMessageContaining("rollback");
      assertThat(relay.wakeUps()).isZero();

      // the rolled-back transaction used the interval's wake-up: later commits are left to the relay's
      // safety-net read (the cost the Javadoc of notifyRelay states)
      assertThatThrownBy(() -> inTransaction(c -> {
        hourly.append(c, event("rolled-back-hourly"));
        throw new IllegalStateException("rollback");
      })).hasMessage("rollback");
      inTransaction(c -> hourly.append(c, event("committed-hourly")));
      assertThat(relay.wakeUps()).isZero();
    }
    assertThat(countEvents()).isEqualTo(1);
  }

  @Test
  void theCdcWriteModesIgnoreNotifyRelayAndSaySoWhenBuilt() throws Exception {
    try (CapturedLogs logs = CapturedLogs.of("dev.letterbox.outbox");
         RelayChannel relay = RelayChannel.listen(database, tables)) {
      Outbox cdc = Outbox.builder().tables(tables).writeMode(WriteMode.INSERT_AND_DELETE)
          .notifyRelay(Duration.ZERO).build();
      inTransaction(c -> cdc.append(c, event("cdc-1")));
      dsl.transaction(cfg -> cdc.append(cfg.dsl(), event("cdc-2")));

      assertThat(relay.wakeUps()).isZero();
      assertThat(logs.warnings()).singleElement().asString()
          .contains("outbox.notify-relay is ignored").contains("CDC relay");
    }
  }
}
