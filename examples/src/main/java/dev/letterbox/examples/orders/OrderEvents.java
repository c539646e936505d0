package dev.letterbox.examples.orders;

import dev.letterbox.outbox.OutboxEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the outbox events of the order aggregate: what the orders service tells other services.
 *
 * <p>Every event is published to {@code outbox.event.order} (the relay's default topic template
 * for aggregate type {@value #AGGREGATE_TYPE}), keyed by the order id, with a JSON payload that
 * holds {@code orderId} and {@code version} (1 for {@code OrderPlaced}, then one more per event)
 * plus the event's own fields. Thread-safe.
 */
public final class OrderEvents {

    /** The aggregate type of every order event; also the last part of the default topic name. */
    public static final String AGGREGATE_TYPE = "order";
    /** The Kafka topic the relay publishes order events to, under its default topic template. */
    public static final String TOPIC = "outbox.event." + AGGREGATE_TYPE;
    /** An order was placed: payload has {@code customer}. */
    public static final String ORDER_PLACED = "OrderPlaced";
    /** A line was added to an open order: payload has {@code sku}, {@code quantity}, {@code priceCents}. */
    public static final String ORDER_LINE_ADDED = "OrderLineAdded";
    /** An order was paid and can be shipped: payload has {@code totalCents}. */
    public static final String ORDER_PAID = "OrderPaid";

    private OrderEvents() {
    }

    static OutboxEvent placed(String orderId, int version, String customer) {
        Map<String, Object> data = base(orderId, version);
        data.put("customer", customer);
        return event(orderId, ORDER_PLACED, data);
    }

    static OutboxEvent lineAdded(String orderId, int version, OrderLine line) {
        Map<String, Object> data = base(orderId, version);
        data.put("sku", line.sku());
        data.put("quantity", line.quantity());
        data.put("priceCents", line.priceCents());
        return event(orderId, ORDER_LINE_ADDED, data);
    }

    static OutboxEvent paid(String orderId, int version, long totalCents) {
        Map<String, Object> data = base(orderId, version);
        data.put("totalCents", totalCents);
        return event(orderId, ORDER_PAID, data);
    }

    private static Map<String, Object> base(String orderId, int version) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", orderId);
        data.put("version", version);
        return data;
    }

    private static OutboxEvent event(String orderId, String type, Map<String, Object> data) {
        return OutboxEvent.builder()
                .aggregateType(AGGREGATE_TYPE)
                .aggregateId(orderId)
                .eventType(type)
                .jsonPayload(data)
                .build();
    }
}
