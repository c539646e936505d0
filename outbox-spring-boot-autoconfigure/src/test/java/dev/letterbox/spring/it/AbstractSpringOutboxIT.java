package dev.letterbox.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxHeaders;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.spring.NoTransactionException;
import dev.letterbox.spring.TransactionalOutbox;
import dev.letterbox.spring.internal.RelayLifecycle;
import dev.letterbox.testsupport.DatabaseServer;
import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.TestDatabase;
import dev.letterbox.testsupport.TopicReader;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter's acceptance suite on one database, run by a small subclass per database: one
 * application context (JDBC, JPA, jOOQ, Flyway, Spring Kafka, Actuator, the embedded relay) on a
 * fresh database and a broker of the class's own.
 */
@SpringBootTest(classes = TestApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class AbstractSpringOutboxIT {

  static final String AGGREGATE = "springorder";
  static final String TOPIC = "outbox.event." + AGGREGATE;

  @Autowired TransactionalOutbox outbox;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired EntityManager entityManager;
  @Autowired DSLContext dsl;
  @Autowired RelayLifecycle relay;
  @Autowired InboxListener listener;

  /** The database and broker of the subclass. */
  abstract TestDatabase db();

  abstract EmbeddedKafkaBroker broker();

  /** Properties of the shared context: the class's database and broker, the relay on, a slow idle poll. */
  static void register(DynamicPropertyRegistry registry, TestDatabase db, EmbeddedKafkaBroker broker) {
    broker.createTopic(TOPIC, 1);
    broker.createTopic(InboxListener.TOPIC, 1);
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "16");
    registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
    registry.add("spring.kafka.consumer.auto-offset-reset", () -> "earliest");
    registry.add("spring.kafka.consumer.key-deserializer",
        () -> "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    registry.add("spring.kafka.consumer.value-deserializer",
        () -> "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    registry.add("letterbox.relay.enabled", () -> "true");
    // idle pauses of 10 to 30 s: a quick publication comes from the wake-up at commit, not from a poll
    registry.add("letterbox.relay.polling.idle-backoff-min", () -> "10s");
    registry.add("letterbox.relay.polling.idle-backoff-max", () -> "30s");
    registry.add("letterbox.relay.polling.lease-ttl", () -> "5s");
  }

  static EmbeddedKafkaBroker startBroker() {
    return KafkaServer.startEmbedded();
  }

  static TestDatabase createDatabase(DatabaseServer server, String hint) {
    return server.createDatabase(hint);
  }

  OutboxEvent event(String orderId) {
    return OutboxEvent.builder().aggregateType(AGGREGATE).aggregateId(orderId).eventType("OrderPlaced")
        .payload(("{\"order\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8)).build();
  }

  int orders(String id) {
    return jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Integer.class, id);
  }

  int events(String aggregateId) {
    return jdbc.queryForObject("SELECT count(*) FROM outbox_event WHERE aggregateid = ?", Integer.class, aggregateId);
  }

  /** Runs {@code work} in a transaction, then commits it ({@code commit}) or makes it roll back. */
  void inTransaction(boolean commit, Runnable work) {
    tx.executeWithoutResult(status -> {
      work.run();
      if (!commit) {
        status.setRollbackOnly();
      }
    });
  }

  /**
   * Writes an order and its event with {@code write} in two transactions, commits the first and
   * rolls back the second: the event must share the order's fate both times.
   */
  void assertEventCommitsAndRollsBackWithTheOrder(String kind, Consumer<String> write) {
    String kept = kind + "-" + UUID.randomUUID();
    String dropped = kind + "-" + UUID.randomUUID();
    for (String id : List.of(kept, dropped)) {
      inTransaction(id.equals(kept), () -> write.accept(id));
    }
    assertThat(orders(kept)).isEqualTo(1);
    assertThat(events(kept)).isEqualTo(1);
    assertThat(orders(dropped)).isZero();
    assertThat(events(dropped)).isZero();
  }

  @Test
  void appendCommitsAndRollsBackWithJdbcTemplateRows() {
    assertEventCommitsAndRollsBackWithTheOrder("jdbc", id -> {
      jdbc.update("INSERT INTO orders (id, amount) VALUES (?, ?)", id, 10);
      outbox.append(event(id));
    });
  }

  @Test
  void appendCommitsAndRollsBackWithJpaEntities() {
    assertEventCommitsAndRollsBackWithTheOrder("jpa", id -> {
      entityManager.persist(new TestApplication.OrderEntity(id, 20));
      entityManager.flush();
      outbox.append(event(id));
    });
  }

  @Test
  void appendCommitsAndRollsBackWithJooqRows() {
    assertEventCommitsAndRollsBackWithTheOrder("jooq", id -> {
      dsl.insertInto(table("orders")).columns(field("id"), field("amount")).values(id, 30).execute();
      outbox.appendAll(List.of(event(id)));
    });
  }

  @Test
  void appendOutsideATransactionIsRefusedAndWritesNothing() {
    String id = "none-" + UUID.randomUUID();
    assertThatThrownBy(() -> outbox.append(event(id)))
        .isInstanceOf(NoTransactionException.class)
        .hasMessageContaining("TransactionalOutbox.append needs a Spring-managed transaction")
        .hasMessageContaining("@Transactional");
    assertThat(events(id)).isZero();
  }

  @Test
  void relayPublishesAnAppendedEventAtCommitWithoutWaitingForItsPoll() throws Exception {
    awaitRelayReady();
    String id = "published-" + UUID.randomUUID();
    try (TopicReader reader = new TopicReader(broker(), TOPIC)) {
      long committed = System.nanoTime();
      inTransaction(true, () -> outbox.append(event(id)));
      UUID eventId = UUID.fromString(jdbc.queryForObject(
          "SELECT CAST(id AS CHAR(36)) FROM outbox_event WHERE aggregateid = ?", String.class, id));
      // idle polls are 10 to 30 s apart here: within 8 s it is the commit's wake-up that published it
      await().atMost(Duration.ofSeconds(8)).until(() -> reader.received().containsKey(eventId));
      assertThat(Duration.ofNanos(reader.received().get(eventId) - committed)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void springKafkaInboxAppliesARedeliveredRecordOnce() throws Exception {
    String duplicated = UUID.randomUUID().toString();
    String failsOnce = UUID.randomUUID().toString();
    Map<String, Object> props = broker().producerProps();
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      // the relay publishes at least once: the same event may come twice, at two offsets
      producer.send(record(duplicated, "ok")).get();
      producer.send(record(duplicated, "ok")).get();
      // a failed transaction rolls back the inbox row; the offset was not committed, so it comes again
      producer.send(record(failsOnce, "fail-once")).get();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> listener.deliveries(duplicated) == 2
        && listener.deliveries(failsOnce) >= 2 && applied(failsOnce) == 1);
    assertThat(applied(duplicated)).isEqualTo(1);
    assertThat(applied(failsOnce)).isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_inbox WHERE consumer = 'billing' AND event_id IN (?, ?)",
        Integer.class, duplicated, failsOnce)).isEqualTo(2);
  }

  @Test
  void flywayRunsTheOutboxMigrationsOnceInTheirOwnHistory() {
    List<String> versions = jdbc.queryForList("SELECT version FROM outbox_flyway_history"
        + " WHERE success = TRUE AND version IS NOT NULL AND version <> '0' ORDER BY installed_rank", String.class);
    List<Integer> all = java.util.stream.IntStream.rangeClosed(1, OutboxSchema.latestVersion()).boxed().toList();
    assertThat(versions).containsExactlyElementsOf(all.stream().map(String::valueOf).toList());
    assertThat(jdbc.queryForList("SELECT version FROM outbox_schema_version ORDER BY version", Integer.class))
        .containsExactlyElementsOf(all);
    // the application's own V1 sits in its own history
    assertThat(jdbc.queryForList("SELECT script FROM flyway_schema_history WHERE success = TRUE", String.class))
        .containsExactly("V1__orders.sql");
  }

  private static ProducerRecord<byte[], byte[]> record(String eventId, String value) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(InboxListener.TOPIC, null,
        value.getBytes(StandardCharsets.UTF_8));
    r.headers().add(OutboxHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  int applied(String eventId) {
    return jdbc.queryForObject("SELECT count(*) FROM applied_events WHERE event_id = ?", Integer.class, eventId);
  }

  void awaitRelayReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> relay.relay() != null && relay.relay().health().ready());
  }
}
