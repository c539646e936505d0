package dev.letterbox.spring.internal;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.outbox.kafka.KafkaInbox;
import dev.letterbox.spring.SpringKafkaInbox;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.support.KafkaUtils;

/** The stock {@link SpringKafkaInbox}; thread-safe. */
public final class DefaultSpringKafkaInbox implements SpringKafkaInbox {

  private final Inbox inbox;
  private final DataSource dataSource;

  /** See {@link SpringKafkaInbox#of}. */
  public DefaultSpringKafkaInbox(Inbox inbox, DataSource dataSource) {
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public boolean runOnce(ConsumerRecord<?, ?> record, Inbox.Handler handler) {
    String group = KafkaUtils.getConsumerGroupId();
    if (group == null) {
      throw new IllegalStateException("SpringKafkaInbox.runOnce(record, handler) found no consumer group id: call it"
          + " from a @KafkaListener method, or pass the consumer name with runOnce(consumer, record, handler)");
    }
    return runOnce(group, record, handler);
  }

  @Override
  public boolean runOnce(String consumer, ConsumerRecord<?, ?> record, Inbox.Handler handler) {
    String eventId = KafkaInbox.eventId(record);
    return TransactionConnections.inTransaction(dataSource, "SpringKafkaInbox.runOnce",
        c -> inbox.runOnce(c, consumer, eventId, handler));
  }
}
