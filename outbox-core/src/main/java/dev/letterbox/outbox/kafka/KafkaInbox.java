package dev.letterbox.outbox.kafka;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.outbox.InvalidConfigurationException;
import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Applies polled Kafka records through the {@link Inbox}: one database transaction per poll batch,
 * each record's handler run at most once per event id (header {@code id}), and the Kafka offsets
 * committed only after the database commit; thread-safe, but a Kafka {@code Consumer} is not, so
 * call it from the consumer's thread.
 *
 * <pre>{@code
 * KafkaInbox kafkaInbox = KafkaInbox.builder().dataSource(dataSource).consumerName("billing").build();
 * while (running) {
 *   kafkaInbox.process(consumer, consumer.poll(Duration.ofMillis(500)), (record, tx) -> apply(record, tx));
 * }
 * }</pre>
 *
 * <p>Use it with {@code enable.auto.commit=false}. If the database transaction fails, the
 * consumer is rewound to the batch's first offsets and the exception propagates; if the offset
 * commit fails after the database commit, the records come again and the inbox skips them. The
 * data source and the consumer stay the caller's.
 */
public final class KafkaInbox {
  private final Inbox inbox;
  private final DataSource dataSource;
  private final String consumerName;

  private KafkaInbox(Builder builder) {
    this.inbox = builder.inbox;
    this.dataSource = builder.dataSource;
    this.consumerName = builder.consumerName;
  }

  /** Starts a builder; {@code dataSource} and {@code consumerName} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies {@code records} in one database transaction, then commits their offsets.
   *
   * @return how many handlers ran (records already processed are skipped and not counted)
   * @throws MissingEventIdException when a record has no {@code id} header (nothing is committed)
   */
  public <K, V> int process(Consumer<K, V> consumer, ConsumerRecords<K, V> records, RecordHandler<K, V> handler) {
    Objects.requireNonNull(handler, "handler");
    if (records.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
    for (ConsumerRecord<K, V> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      first.putIfAbsent(tp, r.offset());
      next.put(tp, new OffsetAndMetadata(r.offset() + 1));
    }
    int ran;
    try {
      ran = applyInTransaction(records, handler);
    } catch (RuntimeException | Error e) {
      first.forEach(consumer::seek);
      throw e;
    }
    consumer.commitSync(next);
    return ran;
  }

  private <K, V> int applyInTransaction(Iterable<ConsumerRecord<K, V>> records, RecordHandler<K, V> handler) {
    try (Connection tx = dataSource.getConnection()) {
      boolean autoCommit = tx.getAutoCommit();
      tx.setAutoCommit(false);
      try {
        int ran = 0;
        for (ConsumerRecord<K, V> record : records) {
          if (inbox.runOnce(tx, consumerName, eventId(record), () -> handler.handle(record, tx))) {
            ran++;
          }
        }
        tx.commit();
        return ran;
      } catch (RuntimeException | Error e) {
        tx.rollback();
        throw e;
      } finally {
        tx.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("the inbox transaction of consumer " + consumerName, e);
    }
  }

  /** Reads the event id from the record's last {@code id} header; throws {@link MissingEventIdException}. */
  public static String eventId(ConsumerRecord<?, ?> record) {
    Header header = record.headers().lastHeader(OutboxHeaders.ID);
    String id = header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    if (id == null || id.isBlank()) {
      throw new MissingEventIdException(record.topic(), record.partition(), record.offset());
    }
    return id;
  }

  /** The consumer name under which events are recorded in the inbox. */
  public String consumerName() {
    return consumerName;
  }

  /** Configures a {@link KafkaInbox}; not thread-safe. */
  public static final class Builder {
    private Inbox inbox = Inbox.ofDefaults();
    private DataSource dataSource;
    private String consumerName;

    private Builder() {}

    /** Sets the inbox (and so its tables); default {@link Inbox#ofDefaults()}. */
    public Builder inbox(Inbox inbox) {
      this.inbox = Objects.requireNonNull(inbox, "inbox");
      return this;
    }

    /** Sets where the consumer's transactions run; required; stays the caller's. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** Sets the consumer name recorded in the inbox, e.g. the Kafka group id; required, at most 255 characters. */
    public Builder consumerName(String consumerName) {
      this.consumerName = consumerName;
      return this;
    }

    /** Builds it; throws {@link InvalidConfigurationException} when a required value is missing. */
    public KafkaInbox build() {
      if (dataSource == null) {
        throw new InvalidConfigurationException("kafka-inbox.data-source", "is required", null);
      }
      if (consumerName == null || consumerName.isBlank() || consumerName.length() > Inbox.MAX_KEY_LENGTH) {
        throw new InvalidConfigurationException("kafka-inbox.consumer-name", "must be 1 to "
            + Inbox.MAX_KEY_LENGTH + " non-blank characters", consumerName);
      }
      return new KafkaInbox(this);
    }
  }
}
