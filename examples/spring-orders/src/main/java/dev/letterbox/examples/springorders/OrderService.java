package dev.letterbox.examples.springorders;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.spring.TransactionalOutbox;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders: the order row and its event commit together or not at all; thread-safe. */
@Service
public class OrderService {

  private final JdbcTemplate jdbc;
  private final TransactionalOutbox outbox;

  OrderService(JdbcTemplate jdbc, TransactionalOutbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  /** Writes the order and appends {@code OrderPlaced} in the same transaction; returns the order id. */
  @Transactional
  public UUID place(String customer, int amount) {
    UUID id = UUID.randomUUID();
    jdbc.update("INSERT INTO orders (id, customer, amount) VALUES (?, ?, ?)", id, customer, amount);
    outbox.append(OutboxEvent.builder().aggregateType("order").aggregateId(id.toString()).eventType("OrderPlaced")
        .jsonPayload(Map.of("orderId", id.toString(), "customer", customer, "amount", amount)).build());
    return id;
  }
}
