/**
 * The "orders" example service: it writes an {@code orders} row and its events to the outbox in
 * one database transaction, once with jOOQ ({@link dev.letterbox.examples.orders.OrderService}) and
 * once with plain JDBC ({@link dev.letterbox.examples.orders.JdbcOrderService}).
 *
 * <p>Every event of an order carries the order's version (1, 2, 3, ...), so a consumer can check
 * that it sees an order's events in the order they were committed.
 */
package dev.letterbox.examples.orders;
