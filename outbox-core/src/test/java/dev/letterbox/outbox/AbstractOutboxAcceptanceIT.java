package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.outbox.internal.Dialect;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The outbox acceptance suite, run against each database by a small subclass: the write API,
 * schema and migrations on a real server.
 */
abstract class AbstractOutboxAcceptanceIT extends AbstractInboxAcceptance {
  @Test
  void committedJooqTransactionWritesTheEventWithItsBusinessRow() {
    dsl.execute("CREATE TABLE " + q(tables.prefix() + "orders") + " (" + q("id") + " varchar(36) PRIMARY KEY)");
    OutboxEvent event = OutboxEvent.builder().aggregateType("order").aggregateId("o-1").eventType("OrderPlaced")
        .payload(new byte[] {1, 2, 3}).header("tenant", "acme").topic("orders.v1").build();

    dsl.transaction(cfg -> {
      cfg.dsl().execute("INSERT INTO " + q(tables.prefix() + "orders") + " VALUES ('o-1')");
      outbox.append(cfg.dsl(), event);
    });

    List<Record> rows = rows();
    assertThat(rows).hasSize(1);
    Record row = rows.get(0);
    assertThat(row.get("id", String.class)).isEqualTo(event.id().toString());
    assertThat(row.get("aggregatetype", String.class)).isEqualTo("order");
    assertThat(row.get("aggregateid", String.class)).isEqualTo("o-1");
    assertThat(row.get("type", String.class)).isEqualTo("OrderPlaced");
    assertThat(row.get("payload", byte[].class)).containsExactly(1, 2, 3);
    assertThat(row.get("headers", String.class)).contains("\"tenant\"").contains("\"acme\"");
    assertThat(row.get("topic", String.class)).isEqualTo("orders.v1");
    assertThat(row.get("status", String.class)).isEqualTo("PENDING");
    assertThat(row.get("attempts", Integer.class)).isZero();
    assertThat(row.get("shard", Integer.class)).isBetween(0, OutboxSchema.SHARD_COUNT - 1);
    assertThat(row.get("created_at")).isNotNull();
    assertThat(row.get("published_at")).isNull();
    assertThat(dsl.fetchCount(DSL.table(DSL.quotedName(tables.prefix() + "orders")))).isEqualTo(1);
  }

  @Test
  void rolledBackJooqTransactionLeavesNoEvent() {
    assertThatThrownBy(() -> dsl.transaction(cfg -> {
      outbox.append(cfg.dsl(), event("o-2"));
      throw new IllegalStateException("business failure");
    })).hasMessageContaining("business failure");

    assertThat(countEvents()).isZero();
  }

  @Test
  void jdbcCommitWritesAndRollbackDiscards() throws Exception {
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, event("kept"));
      c.commit();
      outbox.append(c, event("discarded"));
      c.rollback();
      c.setAutoCommit(true);
    }
    assertThat(rows()).extracting(r -> r.get("aggregateid", String.class)).containsExactly("kept");
  }

  @Test
  void appendAllWritesTheBatchInOneRoundTripInListOrder() throws Exception {
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(event("agg-" + i));
    }
    RoundTrips trips = new RoundTrips();
    try (Connection c = trips.wrap(dataSource().getConnection())) {
      c.setAutoCommit(false);
      trips.reset();
      outbox.appendAll(c, events);
      assertThat(trips.count()).as("statement executions for 200 events").isEqualTo(1);
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(rows()).extracting(r -> r.get("id", String.class))
        .containsExactlyElementsOf(events.stream().map(e -> e.id().toString()).toList());
  }

  @Test
  void appendAllThroughJooqIsOneRoundTrip() {
    RoundTrips trips = new RoundTrips();
    DSLContext counted = DSL.using(trips.wrap(dataSource()), jooqDialect());
    counted.transaction(cfg -> {
      trips.reset();
      outbox.appendAll(cfg.dsl(), List.of(event("a"), event("b"), event("c")));
      assertThat(trips.count()).isEqualTo(1);
    });
    assertThat(countEvents()).isEqualTo(3);
  }

  @Test
  void refusesAConnectionInAutoCommitMode() throws Exception {
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(() -> outbox.append(c, event("x")))
          .isInstanceOf(AutoCommitException.class)
          .hasMessageContaining("auto-commit")
          .hasMessageContaining("setAutoCommit(false)");
    }
    assertThat(countEvents()).isZero();
  }

  @Test
  void refusesOversizedPayloadAndHeadersNamingFieldRuleAndValue() throws Exception {
    Outbox small = Outbox.builder().tables(tables).maxPayloadBytes(16).maxHeaderBytes(20).build();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      OutboxEvent big = event("x").toBuilder().payload(new byte[17]).build();
      assertThatThrownBy(() -> small.append(c, big))
          .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("payload"))
          .hasMessageContaining("at most 16 bytes").hasMessageContaining("17 bytes");
      OutboxEvent headers = event("x").toBuilder().payload("ok").header("k", "a-long-header-value").build();
      assertThatThrownBy(() -> small.append(c, headers))
          .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("headers"))
          .hasMessageContaining("at most 20 bytes");
      c.rollback();
      c.setAutoCommit(true);
    }
    assertThat(countEvents()).isZero();
  }

  @Test
  void plainSqlInsertWithEventRouterColumnsIsAValidRow() {
    dsl.execute("INSERT INTO " + eventTable() + " (" + q("aggregatetype") + ", " + q("aggregateid") + ", " + q("type")
        + ", " + q("payload") + ") VALUES ('order', 'plain-1', 'OrderPlaced', ?)", (Object) "{}".getBytes(StandardCharsets.UTF_8));
    String id = UUID.randomUUID().toString();
    dsl.execute("INSERT INTO " + eventTable() + " (" + q("id") + ", " + q("aggregatetype") + ", " + q("aggregateid")
        + ", " + q("type") + ", " + q("payload") + ") VALUES (" + idLiteral(id) + ", 'order', 'plain-1', 'OrderPaid', ?)",
        (Object) "{}".getBytes(StandardCharsets.UTF_8));

    List<Record> rows = rows();
    assertThat(rows).hasSize(2);
    for (Record row : rows) {
      assertThat(row.get("id", String.class)).isNotBlank();
      assertThat(row.get("status", String.class)).isEqualTo("PENDING");
      assertThat(row.get("attempts", Integer.class)).isZero();
      assertThat(row.get("created_at")).isNotNull();
      assertThat(row.get("headers")).isNull();
      assertThat(row.get("topic")).isNull();
    }
    assertThat(rows.get(1).get("id", String.class)).isEqualTo(id);
    assertThat(rows.get(0).get("shard", Integer.class)).isEqualTo(rows.get(1).get("shard", Integer.class));
    assertThat(rows.get(0).get("seq", Long.class)).isLessThan(rows.get(1).get("seq", Long.class));
  }

  @Test
  void shardIsComputedByTheDatabaseAndSpreadsAggregates() throws Exception {
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      events.add(event("customer-" + i));
    }
    events.add(event("customer-7"));
    inTransaction(c -> outbox.appendAll(c, events));

    List<Record> rows = rows();
    assertThat(rows).allSatisfy(r -> assertThat(r.get("shard", Integer.class)).isBetween(0, 63));
    assertThat(rows.stream().map(r -> r.get("shard", Integer.class)).distinct().count()).isGreaterThan(48);
    List<Integer> shardsOf7 = rows.stream().filter(r -> r.get("aggregateid", String.class).equals("customer-7"))
        .map(r -> r.get("shard", Integer.class)).toList();
    assertThat(shardsOf7).hasSize(2).containsOnly(shardsOf7.get(0));
  }

  @Test
  void migrateIsIdempotentAndStatusReportsTheVersion() {
    OutboxSchema schema = OutboxSchema.of(tables);
    SchemaStatus again = schema.migrate(dataSource());
    assertThat(again).isEqualTo(new SchemaStatus(OutboxSchema.latestVersion(), OutboxSchema.latestVersion()));
    assertThat(schema.status(dataSource()).upToDate()).isTrue();
    assertThat(dsl.fetchCount(DSL.table(tables.schemaVersionTableName()))).isEqualTo(OutboxSchema.latestVersion());
  }

  @Test
  void statusOfAnUnmigratedPrefixIsVersionZero() {
    SchemaStatus status = OutboxSchema.of(OutboxTables.of(null, "never_migrated_")).status(dataSource());
    assertThat(status.current()).isZero();
    assertThat(status.upToDate()).isFalse();
  }

  @Test
  void concurrentMigrationsFromSeveralThreadsAllSucceedOnce() throws Exception {
    OutboxTables fresh = OutboxTables.of(null, "conc" + nextPrefixNumber() + "_");
    List<SchemaStatus> results = Concurrently.run(4, () -> OutboxSchema.of(fresh).migrate(dataSource()));

    int latest = OutboxSchema.latestVersion();
    assertThat(results).containsOnly(new SchemaStatus(latest, latest));
    assertThat(dsl.fetchCount(DSL.table(fresh.schemaVersionTableName()))).as("one row per version").isEqualTo(latest);
    inTransaction(c -> Outbox.builder().tables(fresh).build().append(c, event("after-concurrent-migrate")));
  }

  /**
   * Regression (issue 11, item 6): concurrent {@code migrate} runs could each print "migrated from
   * version 0 to 3", the "before" version being read outside the migration lock. H2 has no such lock
   * (its migrations are idempotent instead), so there the reports may overlap.
   */
  @Test
  void ofConcurrentMigrationsExactlyOneReportsTheChange() throws Exception {
    Assumptions.assumeTrue(dialect() != Dialect.H2, "H2 migrates without a lock");
    OutboxTables fresh = OutboxTables.of(null, "rep" + nextPrefixNumber() + "_");
    List<MigrationReport> reports = Concurrently.run(4, () -> OutboxSchema.of(fresh).migrateReporting(dataSource()));

    int latest = OutboxSchema.latestVersion();
    assertThat(reports).filteredOn(MigrationReport::migrated).singleElement()
        .isEqualTo(new MigrationReport(0, new SchemaStatus(latest, latest)));
    assertThat(reports).filteredOn(r -> !r.migrated()).hasSize(3)
        .allSatisfy(r -> assertThat(r.fromVersion()).isEqualTo(latest));
  }

  @Test
  void refusesASchemaNewerThanTheLibrary() {
    dsl.execute("INSERT INTO " + dialect().table(tables, tables.schemaVersionTable()) + " (" + q("version") + ", "
        + q("description") + ") VALUES (99, 'from the future')");

    assertThatThrownBy(() -> OutboxSchema.of(tables).migrate(dataSource()))
        .isInstanceOfSatisfying(SchemaVersionException.class, e -> {
          assertThat(e.found()).isEqualTo(99);
          assertThat(e.expected()).isEqualTo(OutboxSchema.latestVersion());
        })
        .hasMessageContaining("version 99").hasMessageContaining("up to " + OutboxSchema.latestVersion());
    assertThat(OutboxSchema.of(tables).status(dataSource()).newerThanLibrary()).isTrue();
  }

  @Test
  void tablesInAConfiguredSchemaWithAPrefix() throws Exception {
    OutboxTables custom = OutboxTables.of(createSchema("custom"), "my_outbox_");
    OutboxSchema.of(custom).migrate(dataSource());
    Outbox customOutbox = Outbox.builder().tables(custom).build();
    inTransaction(c -> customOutbox.append(c, event("in-schema")));

    assertThat(dsl.fetchCount(DSL.table(custom.eventTableName()))).isEqualTo(1);
    assertThat(countEvents()).isZero();
  }

  @Test
  void appendToUnmigratedTablesSaysToMigrate() throws Exception {
    Outbox missing = Outbox.builder().tables(OutboxTables.of(null, "missing_")).build();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> missing.append(c, event("x")))
          .isInstanceOf(SchemaMissingException.class)
          .hasMessageContaining("missing_event").hasMessageContaining("migrate");
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void capturesTheCurrentTraceContextIntoHeaders() throws Exception {
    SpanContext context = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build());
    OutboxEvent explicit = event("explicit").toBuilder()
        .header("traceparent", "00-11111111111111111111111111111111-2222222222222222-01").build();
    try (Scope ignored = Span.wrap(context).makeCurrent()) {
      inTransaction(c -> outbox.appendAll(c, List.of(event("traced"), explicit)));
    }
    inTransaction(c -> outbox.append(c, event("untraced")));

    List<Record> rows = rows();
    assertThat(rows.get(0).get("headers", String.class))
        .contains("\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"")
        .contains("\"tracestate\":\"vendor=v1\"").contains("\"tenant\":\"acme\"");
    assertThat(rows.get(1).get("headers", String.class))
        .contains("00-11111111111111111111111111111111-2222222222222222-01").doesNotContain("tracestate");
    assertThat(rows.get(2).get("headers", String.class)).doesNotContain("traceparent");
  }

  @Test
  void insertAndDeleteModeLeavesNoRowAndUsesTheExpectedRoundTrips() throws Exception {
    Outbox cdcOnly = Outbox.builder().tables(tables).writeMode(WriteMode.INSERT_AND_DELETE).build();
    RoundTrips trips = new RoundTrips();
    try (Connection c = trips.wrap(dataSource().getConnection())) {
      c.setAutoCommit(false);
      trips.reset();
      cdcOnly.appendAll(c, List.of(event("a"), event("b"), event("c")));
      assertThat(trips.count()).isEqualTo(insertAndDeleteRoundTrips());
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(countEvents()).isZero();
  }

  @Test
  void logicalMessageModeIsRefusedOutsidePostgresql() throws Exception {
    Assumptions.assumeTrue(dialect() != Dialect.POSTGRESQL, "PostgreSQL supports LOGICAL_MESSAGE (tested there)");
    Outbox messages = Outbox.builder().tables(tables).writeMode(WriteMode.LOGICAL_MESSAGE).build();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> messages.append(c, event("x")))
          .isInstanceOf(UnsupportedWriteModeException.class)
          .hasMessageContaining("LOGICAL_MESSAGE").hasMessageContaining("PostgreSQL only");
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void notifyRelayAppendsAsUsualAndWarnsOncePerOutboxWhereThereIsNoNotify() throws Exception {
    try (CapturedLogs logs = CapturedLogs.of("dev.letterbox.outbox")) {
      Outbox notifying = Outbox.builder().tables(tables).notifyRelay(Duration.ZERO).build();
      inTransaction(c -> notifying.append(c, event("n-1")));
      inTransaction(c -> notifying.appendAll(c, List.of(event("n-2"), event("n-3"))));
      dsl.transaction(cfg -> notifying.append(cfg.dsl(), event("n-4")));
      dsl.transaction(cfg -> notifying.appendAll(cfg.dsl(), List.of(event("n-5"))));
      Outbox another = Outbox.builder().tables(tables).notifyRelay(Duration.ofSeconds(1)).build();
      inTransaction(c -> another.append(c, event("n-6")));

      assertThat(rows()).extracting(r -> r.get("aggregateid", String.class))
          .containsExactly("n-1", "n-2", "n-3", "n-4", "n-5", "n-6");
      boolean hasNotify = dialect() == Dialect.POSTGRESQL;
      assertThat(logs.warnings()).hasSize(hasNotify ? 0 : 2)
          .allSatisfy(w -> assertThat(w).contains("outbox.notify-relay is ignored: only PostgreSQL has NOTIFY"));
    }
  }
}
