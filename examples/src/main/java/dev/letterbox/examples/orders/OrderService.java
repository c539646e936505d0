package dev.letterbox.examples.orders;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Table;

/**
 * The orders service written with jOOQ: every method changes the {@code orders} row and appends
 * the matching events to the outbox through the same {@link DSLContext}, so both commit or
 * neither does.
 *
 * <p>The caller owns the transaction:
 * <pre>{@code
 * dsl.transaction(tx -> orders.placeOrder(tx.dsl(), "order-1", "ada", List.of(line)));
 * }</pre>
 * Thread-safe: it holds no state besides the {@link Outbox}.
 */
public final class OrderService {

    static final Table<?> ORDERS = table(name("orders"));
    static final Field<String> ID = field(name("id"), String.class);
    static final Field<String> CUSTOMER = field(name("customer"), String.class);
    static final Field<String> STATUS = field(name("status"), String.class);
    static final Field<Integer> LINE_COUNT = field(name("line_count"), Integer.class);
    static final Field<Long> TOTAL_CENTS = field(name("total_cents"), Long.class);
    static final Field<Integer> VERSION = field(name("version"), Integer.class);

    private final Outbox outbox;

    /** Creates the service; {@code outbox} is not null. */
    public OrderService(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * Inserts an open order with its first lines, and appends {@code OrderPlaced} plus one
     * {@code OrderLineAdded} per line, in one batched outbox write.
     *
     * @param tx the caller's transaction; not null
     */
    public void placeOrder(DSLContext tx, String orderId, String customer, List<OrderLine> lines) {
        int version = 1 + lines.size();
        tx.insertInto(ORDERS)
                .columns(ID, CUSTOMER, STATUS, LINE_COUNT, TOTAL_CENTS, VERSION)
                .values(orderId, customer, "OPEN", lines.size(), sumCents(lines), version)
                .execute();
        List<OutboxEvent> events = new ArrayList<>();
        events.add(OrderEvents.placed(orderId, 1, customer));
        events.addAll(lineEvents(orderId, 2, lines));
        outbox.appendAll(tx, events);
    }

    /**
     * Adds lines to an open order and appends one {@code OrderLineAdded} per line.
     *
     * @throws IllegalStateException if the order does not exist or is no longer open
     */
    public void addLines(DSLContext tx, String orderId, List<OrderLine> lines) {
        Record1<Integer> updated = tx.update(ORDERS)
                .set(VERSION, VERSION.plus(lines.size()))
                .set(LINE_COUNT, LINE_COUNT.plus(lines.size()))
                .set(TOTAL_CENTS, TOTAL_CENTS.plus(sumCents(lines)))
                .where(ID.eq(orderId).and(STATUS.eq("OPEN")))
                .returningResult(VERSION)
                .fetchOne();
        if (updated == null) {
            throw new IllegalStateException("order " + orderId + " does not exist or is not open: add lines to an open order");
        }
        int firstVersion = updated.value1() - lines.size() + 1;
        outbox.appendAll(tx, lineEvents(orderId, firstVersion, lines));
    }

    /**
     * Marks an open order paid and appends {@code OrderPaid}.
     *
     * @throws IllegalStateException if the order does not exist or is no longer open
     */
    public void markPaid(DSLContext tx, String orderId) {
        var updated = tx.update(ORDERS)
                .set(VERSION, VERSION.plus(1))
                .set(STATUS, "PAID")
                .where(ID.eq(orderId).and(STATUS.eq("OPEN")))
                .returningResult(VERSION, TOTAL_CENTS)
                .fetchOne();
        if (updated == null) {
            throw new IllegalStateException("order " + orderId + " does not exist or is not open: only an open order can be paid");
        }
        outbox.append(tx, OrderEvents.paid(orderId, updated.value1(), updated.value2()));
    }

    static long sumCents(List<OrderLine> lines) {
        return lines.stream().mapToLong(OrderLine::totalCents).sum();
    }

    static List<OutboxEvent> lineEvents(String orderId, int firstVersion, List<OrderLine> lines) {
        List<OutboxEvent> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            events.add(OrderEvents.lineAdded(orderId, firstVersion + i, lines.get(i)));
        }
        return events;
    }
}
