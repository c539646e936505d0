package dev.letterbox.examples.orders;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The orders service written with plain JDBC: the same operations as {@link OrderService}, on a
 * {@link Connection} whose transaction the caller owns (auto-commit off).
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     orders.placeOrder(c, "order-1", "ada", List.of(line));
 *     c.commit();
 * }
 * }</pre>
 * Thread-safe: it holds no state besides the {@link Outbox}.
 */
public final class JdbcOrderService {

    private final Outbox outbox;

    /** Creates the service; {@code outbox} is not null. */
    public JdbcOrderService(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** Inserts an open order with its first lines and appends its events; see {@link OrderService#placeOrder}. */
    public void placeOrder(Connection tx, String orderId, String customer, List<OrderLine> lines) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "insert into orders (id, customer, status, line_count, total_cents, version) values (?, ?, 'OPEN', ?, ?, ?)")) {
            insert.setString(1, orderId);
            insert.setString(2, customer);
            insert.setInt(3, lines.size());
            insert.setLong(4, OrderService.sumCents(lines));
            insert.setInt(5, 1 + lines.size());
            insert.executeUpdate();
        }
        List<OutboxEvent> events = new ArrayList<>();
        events.add(OrderEvents.placed(orderId, 1, customer));
        events.addAll(OrderService.lineEvents(orderId, 2, lines));
        outbox.appendAll(tx, events);
    }

    /** Adds lines to an open order and appends their events; see {@link OrderService#addLines}. */
    public void addLines(Connection tx, String orderId, List<OrderLine> lines) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "update orders set version = version + ?, line_count = line_count + ?, total_cents = total_cents + ?"
                        + " where id = ? and status = 'OPEN' returning version")) {
            update.setInt(1, lines.size());
            update.setInt(2, lines.size());
            update.setLong(3, OrderService.sumCents(lines));
            update.setString(4, orderId);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("order " + orderId + " does not exist or is not open: add lines to an open order");
                }
                int firstVersion = rs.getInt(1) - lines.size() + 1;
                outbox.appendAll(tx, OrderService.lineEvents(orderId, firstVersion, lines));
            }
        }
    }

    /** Marks an open order paid and appends {@code OrderPaid}; see {@link OrderService#markPaid}. */
    public void markPaid(Connection tx, String orderId) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "update orders set version = version + 1, status = 'PAID'"
                        + " where id = ? and status = 'OPEN' returning version, total_cents")) {
            update.setString(1, orderId);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("order " + orderId + " does not exist or is not open: only an open order can be paid");
                }
                outbox.append(tx, OrderEvents.paid(orderId, rs.getInt(1), rs.getLong(2)));
            }
        }
    }
}
