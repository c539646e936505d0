package dev.letterbox.examples.shipping;

import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.letterbox.examples.orders.OrderEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/**
 * Applies one order event to the {@code shipments} table, inside the caller's transaction (the
 * one that also records the event in the inbox).
 *
 * <p>{@code OrderPlaced} opens a shipment, {@code OrderLineAdded} adds items, {@code OrderPaid}
 * makes it ready to ship; other event types are ignored (a tolerant reader). Each event must carry
 * the version that follows the shipment's, else {@link EventOutOfOrderException}. Thread-safe.
 */
public final class ShipmentProjector {

    /** What {@link #apply} did with an event. */
    public enum Outcome { APPLIED, IGNORED }

    static final Table<?> SHIPMENTS = table(name("shipments"));
    static final Field<String> ORDER_ID = field(name("order_id"), String.class);
    static final Field<String> CUSTOMER = field(name("customer"), String.class);
    static final Field<String> STATUS = field(name("status"), String.class);
    static final Field<Integer> ITEMS = field(name("items"), Integer.class);
    static final Field<Integer> ORDER_VERSION = field(name("order_version"), Integer.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Applies the event of type {@code eventType} with JSON {@code payload} to the shipments.
     *
     * @param tx the caller's transaction; not null
     * @return whether the event changed a shipment
     * @throws EventOutOfOrderException if the event's version does not follow the shipment's
     */
    public Outcome apply(DSLContext tx, String eventType, byte[] payload) {
        if (!OrderEvents.ORDER_PLACED.equals(eventType) && !OrderEvents.ORDER_LINE_ADDED.equals(eventType)
                && !OrderEvents.ORDER_PAID.equals(eventType)) {
            return Outcome.IGNORED;
        }
        JsonNode event = parse(payload);
        String orderId = event.path("orderId").asText();
        int version = event.path("version").asInt();
        if (OrderEvents.ORDER_PLACED.equals(eventType)) {
            open(tx, orderId, version, event.path("customer").asText());
        } else if (OrderEvents.ORDER_LINE_ADDED.equals(eventType)) {
            advance(tx, orderId, version, ITEMS.plus(event.path("quantity").asInt()), STATUS);
        } else {
            advance(tx, orderId, version, ITEMS, val("READY_TO_SHIP"));
        }
        return Outcome.APPLIED;
    }

    private static void open(DSLContext tx, String orderId, int version, String customer) {
        if (version != 1) {
            throw new EventOutOfOrderException(orderId, currentVersion(tx, orderId), version);
        }
        int inserted = tx.insertInto(SHIPMENTS)
                .columns(ORDER_ID, CUSTOMER, STATUS, ITEMS, ORDER_VERSION)
                .values(orderId, customer, "AWAITING_PAYMENT", 0, 1)
                .onConflictDoNothing()
                .execute();
        if (inserted == 0) {
            throw new EventOutOfOrderException(orderId, currentVersion(tx, orderId), version);
        }
    }

    private static void advance(DSLContext tx, String orderId, int version, Field<Integer> items, Field<String> status) {
        int updated = tx.update(SHIPMENTS)
                .set(ITEMS, items)
                .set(STATUS, status)
                .set(ORDER_VERSION, version)
                .set(UPDATED_AT, currentOffsetDateTime())
                .where(ORDER_ID.eq(orderId).and(ORDER_VERSION.eq(version - 1)))
                .execute();
        if (updated == 0) {
            throw new EventOutOfOrderException(orderId, currentVersion(tx, orderId), version);
        }
    }

    private static int currentVersion(DSLContext tx, String orderId) {
        Integer current = tx.select(ORDER_VERSION).from(SHIPMENTS).where(ORDER_ID.eq(orderId)).fetchOne(ORDER_VERSION);
        return current == null ? -1 : current;
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("order event payload is not JSON", e);
        }
    }
}
