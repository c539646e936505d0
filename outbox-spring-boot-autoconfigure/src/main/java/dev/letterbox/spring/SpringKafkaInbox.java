package dev.letterbox.spring;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.spring.internal.DefaultSpringKafkaInbox;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies a Kafka record at most once per consumer group, inside the current Spring-managed
 * transaction, for {@code @KafkaListener} methods; thread-safe.
 *
 * <pre>{@code
 * @KafkaListener(topics = "outbox.event.order", groupId = "billing")
 * @Transactional
 * public void on(ConsumerRecord<byte[], byte[]> record) {
 *   inbox.runOnce(record, () -> jdbc.update("INSERT INTO invoices ...", ...));
 * }
 * }</pre>
 *
 * <p>The event id is the record's {@code id} header (set by the relay). The listener's transaction
 * commits when the method returns, and only then does the listener container commit the offset
 * (ack mode {@code RECORD} or {@code BATCH}, {@code enable.auto.commit=false}: Spring Kafka's
 * defaults). A redelivered record finds its inbox row and its handler does not run again; a
 * failed transaction rolls back the inbox row with the handler's writes.
 */
public interface SpringKafkaInbox {

  /** The inbox {@code inbox} on the transactions Spring manages on {@code dataSource}. */
  static SpringKafkaInbox of(Inbox inbox, DataSource dataSource) {
    return new DefaultSpringKafkaInbox(inbox, dataSource);
  }

  /**
   * Runs {@code handler} unless the listener's consumer group already applied the record's event;
   * call it from the listener thread (the group id comes from Spring Kafka).
   *
   * @return true when the handler ran, false for a duplicate
   * @throws NoTransactionException outside a Spring-managed transaction on the inbox's DataSource
   * @throws IllegalStateException when called outside a listener (no group id): use {@link #runOnce(String, ConsumerRecord, Inbox.Handler)}
   */
  boolean runOnce(ConsumerRecord<?, ?> record, Inbox.Handler handler);

  /** As {@link #runOnce(ConsumerRecord, Inbox.Handler)}, recording the event under {@code consumer}. */
  boolean runOnce(String consumer, ConsumerRecord<?, ?> record, Inbox.Handler handler);
}
