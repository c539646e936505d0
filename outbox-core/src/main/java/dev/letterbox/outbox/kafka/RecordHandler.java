package dev.letterbox.outbox.kafka;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one Kafka record inside the consumer's database transaction.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
  /**
   * Applies {@code record} using {@code tx} (do not commit, roll back or close it); a thrown
   * exception rolls the batch back and the records are delivered again.
   */
  void handle(ConsumerRecord<K, V> record, Connection tx) throws SQLException;
}
