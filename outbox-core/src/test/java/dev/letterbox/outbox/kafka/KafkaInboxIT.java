package dev.letterbox.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KafkaInbox against the real Kafka broker and PostgreSQL from test-support. */
class KafkaInboxIT {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static TestDatabase database;
  private static KafkaServer kafka;

  private DSLContext dsl;
  private String topic;
  private String applied;
  private KafkaInbox kafkaInbox;

  @BeforeAll
  static void startServers() {
    database = PostgresServer.shared().createDatabase("KafkaInboxIT");
    kafka = KafkaServer.shared();
  }

  @BeforeEach
  void freshTablesAndTopic() {
    int n = COUNTER.incrementAndGet();
    OutboxTables tables = OutboxTables.of(null, "k" + n + "_");
    OutboxSchema.of(tables).migrate(database.dataSource());
    dsl = DSL.using(database.dataSource(), SQLDialect.POSTGRES);
    applied = "k" + n + "_applied";
    dsl.execute("CREATE TABLE " + applied + " (event_id varchar(64), value text)");
    topic = kafka.createTopic(kafka.uniqueTopic("kafka-inbox"), 1);
    kafkaInbox = KafkaInbox.builder().dataSource(database.dataSource()).inbox(Inbox.of(tables))
        .consumerName("billing").build();
  }

  private void produce(String id, String value) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes("order-1"), bytes(value));
      if (id != null) {
        record.headers().add("id", bytes(id)).add("type", bytes("OrderPlaced")).add("aggregatetype", bytes("order"));
      }
      producer.send(record);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> props = kafka.consumerProps("group-" + topic);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private final RecordHandler<byte[], byte[]> recordApplied = (record, tx) -> {
    try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + applied + " VALUES (?, ?)")) {
      ps.setString(1, KafkaInbox.eventId(record));
      ps.setString(2, new String(record.value(), StandardCharsets.UTF_8));
      ps.executeUpdate();
    }
  };

  private List<String> appliedValues() {
    return dsl.fetch("SELECT value FROM " + applied + " ORDER BY value").getValues(0, String.class);
  }

  private OffsetAndMetadata committed(KafkaConsumer<byte[], byte[]> consumer) {
    TopicPartition tp = new TopicPartition(topic, 0);
    return consumer.committed(Set.of(tp)).get(tp);
  }

  @Test
  void appliesEachEventOnceAndCommitsOffsetsAfterTheDatabase() {
    produce("event-a", "a");
    produce("event-b", "b");
    produce("event-a", "a-redelivered");
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        ran.addAndGet(kafkaInbox.process(consumer, records, recordApplied));
        return seen.addAndGet(records.count()) >= 3;
      });
      assertThat(ran.get()).isEqualTo(2);
      assertThat(appliedValues()).containsExactly("a", "b");
      assertThat(committed(consumer).offset()).isEqualTo(3);
    }
  }

  @Test
  void aFailedTransactionRewindsTheConsumerAndCommitsNothing() {
    produce("event-c", "c");
    produce("event-d", "d");
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      ConsumerRecords<byte[], byte[]> first = await().atMost(Duration.ofSeconds(60))
          .until(() -> consumer.poll(Duration.ofMillis(200)), r -> !r.isEmpty());
      assertThatThrownBy(() -> kafkaInbox.process(consumer, first, (record, tx) -> {
        recordApplied.handle(record, tx);
        throw new IllegalStateException("downstream failure");
      })).hasMessage("downstream failure");
      assertThat(appliedValues()).isEmpty();
      assertThat(committed(consumer)).isNull();

      AtomicInteger seen = new AtomicInteger();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        kafkaInbox.process(consumer, records, recordApplied);
        return seen.addAndGet(records.count()) >= 2;
      });
      assertThat(appliedValues()).containsExactly("c", "d");
      assertThat(committed(consumer).offset()).isEqualTo(2);
    }
  }

  @Test
  void aRecordWithoutAnIdHeaderIsRefusedAndNothingIsCommitted() {
    produce(null, "anonymous");
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      ConsumerRecords<byte[], byte[]> records = await().atMost(Duration.ofSeconds(60))
          .until(() -> consumer.poll(Duration.ofMillis(200)), r -> !r.isEmpty());
      assertThatThrownBy(() -> kafkaInbox.process(consumer, records, recordApplied))
          .isInstanceOfSatisfying(MissingEventIdException.class, e -> {
            assertThat(e.topic()).isEqualTo(topic);
            assertThat(e.offset()).isZero();
          })
          .hasMessageContaining("'id' header");
      assertThat(appliedValues()).isEmpty();
      assertThat(committed(consumer)).isNull();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
