package dev.letterbox.examples.springorders;

import dev.letterbox.spring.SpringKafkaInbox;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The shipping consumer: creates one shipment per {@code OrderPlaced} event, at most once per event
 * however often Kafka delivers it (the inbox row commits with the shipment, and the offset is
 * committed after that transaction). Thread-safe.
 */
@Component
public class ShippingListener {

  private final SpringKafkaInbox inbox;
  private final JdbcTemplate jdbc;
  private final AtomicInteger deliveries = new AtomicInteger();
  private final AtomicInteger applied = new AtomicInteger();

  ShippingListener(SpringKafkaInbox inbox, JdbcTemplate jdbc) {
    this.inbox = inbox;
    this.jdbc = jdbc;
  }

  @KafkaListener(topics = "outbox.event.order", groupId = "shipping")
  @Transactional
  public void on(ConsumerRecord<byte[], byte[]> record) {
    deliveries.incrementAndGet();
    UUID orderId = UUID.fromString(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
    if (inbox.runOnce(record, () -> jdbc.update("INSERT INTO shipments (order_id) VALUES (?)", orderId))) {
      applied.incrementAndGet();
    }
  }

  /** Records received so far. */
  public int deliveries() {
    return deliveries.get();
  }

  /** Events applied so far (deliveries minus duplicates skipped by the inbox). */
  public int applied() {
    return applied.get();
  }
}
