package dev.letterbox.spring.it;

import dev.letterbox.outbox.kafka.KafkaInbox;
import dev.letterbox.spring.SpringKafkaInbox;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Kafka listener that applies each event once through the inbox, in its own database
 * transaction; a record whose value is {@code fail-once} fails its first delivery after its writes.
 */
@Component
public class InboxListener {

  public static final String TOPIC = "inbox-test";

  private final SpringKafkaInbox inbox;
  private final JdbcTemplate jdbc;
  private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

  InboxListener(SpringKafkaInbox inbox, JdbcTemplate jdbc) {
    this.inbox = inbox;
    this.jdbc = jdbc;
  }

  @KafkaListener(topics = TOPIC, groupId = "billing")
  @Transactional
  public void on(ConsumerRecord<byte[], byte[]> record) {
    String id = KafkaInbox.eventId(record);
    int delivery = deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    inbox.runOnce(record, () -> jdbc.update("INSERT INTO applied_events (event_id) VALUES (?)", id));
    if (delivery == 1 && "fail-once".equals(new String(record.value(), StandardCharsets.UTF_8))) {
      throw new IllegalStateException("first delivery of " + id + " fails after its writes");
    }
  }

  /** How often the record with event id {@code id} reached the listener. */
  public int deliveries(String id) {
    AtomicInteger n = deliveries.get(id);
    return n == null ? 0 : n.get();
  }
}
