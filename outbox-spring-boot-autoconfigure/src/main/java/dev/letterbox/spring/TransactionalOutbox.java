package dev.letterbox.spring;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.spring.internal.DefaultTransactionalOutbox;
import java.util.List;
import javax.sql.DataSource;

/**
 * Appends events in the current Spring-managed transaction, whichever API the application writes
 * its own rows with ({@code JdbcTemplate}, JPA/Hibernate or jOOQ on the same {@link DataSource}):
 * the event commits and rolls back with them. Thread-safe; one bean serves the application.
 *
 * <pre>{@code
 * @Transactional
 * public void placeOrder(Order order) {
 *   jdbc.update("INSERT INTO orders ...", ...);
 *   outbox.append(OutboxEvent.builder().aggregateType("order").aggregateId(order.id())
 *       .eventType("OrderPlaced").jsonPayload(order).build());
 * }
 * }</pre>
 *
 * <p>Outside a transaction it throws {@link NoTransactionException} and writes nothing: it never
 * falls back to an auto-commit write. When the application runs the embedded relay, the relay is
 * woken when the transaction commits ({@code letterbox.relay.wake-on-commit}).
 */
public interface TransactionalOutbox {

  /**
   * Wraps {@code outbox} for the transactions Spring manages on {@code dataSource}.
   *
   * @param afterCommit run once after each transaction that appended commits (e.g. {@code relay::wakeUp}),
   *                    or null; it must be cheap and must not throw
   */
  static TransactionalOutbox of(Outbox outbox, DataSource dataSource, Runnable afterCommit) {
    return new DefaultTransactionalOutbox(outbox, dataSource, afterCommit);
  }

  /**
   * Appends {@code event} in the current transaction.
   *
   * @throws NoTransactionException when no Spring-managed transaction holds a connection of the outbox's DataSource
   */
  void append(OutboxEvent event);

  /** Appends {@code events}, in list order, in one batched round trip in the current transaction. */
  void appendAll(List<OutboxEvent> events);

  /** The underlying outbox, for code that passes the transaction itself. */
  Outbox outbox();
}
