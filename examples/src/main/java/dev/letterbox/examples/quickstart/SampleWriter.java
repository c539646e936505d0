package dev.letterbox.examples.quickstart;

import dev.letterbox.examples.orders.JdbcOrderService;
import dev.letterbox.examples.orders.OrderLine;
import dev.letterbox.examples.orders.OrderService;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * Writes the quickstart's sample orders through the orders example service, each change and its
 * events in one transaction, at a steady rate, on its own thread.
 *
 * <p>Every order gets exactly {@code eventsPerOrder} events: {@code OrderPlaced} with its first
 * lines (one multi-event transaction), more lines in transactions of 1 to 4 events, then
 * {@code OrderPaid}. Orders are interleaved at random (seeded, so runs are repeatable); even
 * orders go through the jOOQ service, odd ones through the plain JDBC one. About one transaction
 * in twenty is rolled back on purpose after its events were appended, then retried: the rolled
 * back events must never reach Kafka. Counters are thread-safe; {@link #run()} runs once.
 */
final class SampleWriter implements Runnable {

    private final DSLContext dsl;
    private final DataSource dataSource;
    private final OrderService jooqOrders;
    private final JdbcOrderService jdbcOrders;
    private final QuickstartOptions options;
    private final Random random = new Random(42);
    final AtomicLong eventsWritten = new AtomicLong();
    final AtomicLong transactions = new AtomicLong();
    final AtomicLong multiEventTransactions = new AtomicLong();
    final AtomicLong rolledBackTransactions = new AtomicLong();
    final AtomicLong rolledBackEvents = new AtomicLong();
    private volatile boolean finished;
    private volatile Throwable failure;

    SampleWriter(DSLContext dsl, DataSource dataSource, OrderService jooqOrders, JdbcOrderService jdbcOrders,
                 QuickstartOptions options) {
        this.dsl = dsl;
        this.dataSource = dataSource;
        this.jooqOrders = jooqOrders;
        this.jdbcOrders = jdbcOrders;
        this.options = options;
    }

    /** One planned transaction of one order. */
    private record Step(int order, Kind kind, List<OrderLine> lines) {
        int events() {
            return kind == Kind.PLACE ? 1 + lines.size() : kind == Kind.PAY ? 1 : lines.size();
        }
    }

    private enum Kind { PLACE, ADD_LINES, PAY }

    @Override
    public void run() {
        try {
            List<ArrayList<Step>> plans = new ArrayList<>();
            for (int order = 0; order < options.orders(); order++) {
                plans.add(plan(order));
            }
            long start = System.nanoTime();
            double nanosPerEvent = 1e9 / options.eventsPerSecond();
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                open.add(i);
            }
            while (!open.isEmpty() && !Thread.currentThread().isInterrupted()) {
                int pick = random.nextInt(open.size());
                ArrayList<Step> plan = plans.get(open.get(pick));
                Step step = plan.remove(0);
                if (plan.isEmpty()) {
                    open.remove(pick);
                }
                if (random.nextInt(20) == 0) {
                    attemptAndRollBack(step);
                }
                commit(step);
                long due = start + (long) (eventsWritten.get() * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            finished = true;
        }
    }

    /** True once every planned transaction was written, or the writer failed. */
    boolean finished() {
        return finished;
    }

    /** Why the writer stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    private ArrayList<Step> plan(int order) {
        ArrayList<Step> steps = new ArrayList<>();
        int lines = options.eventsPerOrder() - 2;
        int first = Math.min(lines, random.nextInt(4));
        steps.add(new Step(order, Kind.PLACE, lines(first)));
        int left = lines - first;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(random.nextInt(3) == 0 ? 4 : 1));
            steps.add(new Step(order, Kind.ADD_LINES, lines(n)));
            left -= n;
        }
        steps.add(new Step(order, Kind.PAY, List.of()));
        return steps;
    }

    private List<OrderLine> lines(int n) {
        List<OrderLine> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(new OrderLine("sku-" + (100 + random.nextInt(900)), 1 + random.nextInt(3), 100 + random.nextInt(9900)));
        }
        return lines;
    }

    private void commit(Step step) throws SQLException {
        write(step, false);
        eventsWritten.addAndGet(step.events());
        transactions.incrementAndGet();
        if (step.events() > 1) {
            multiEventTransactions.incrementAndGet();
        }
    }

    private void attemptAndRollBack(Step step) throws SQLException {
        try {
            write(step, true);
        } catch (SimulatedFailure expected) {
            rolledBackTransactions.incrementAndGet();
            rolledBackEvents.addAndGet(step.events());
        }
    }

    private void write(Step step, boolean failAfterAppend) throws SQLException {
        String orderId = orderId(step.order());
        if (step.order() % 2 == 0) {
            dsl.transaction(tx -> {
                switch (step.kind()) {
                    case PLACE -> jooqOrders.placeOrder(tx.dsl(), orderId, customer(step.order()), step.lines());
                    case ADD_LINES -> jooqOrders.addLines(tx.dsl(), orderId, step.lines());
                    case PAY -> jooqOrders.markPaid(tx.dsl(), orderId);
                }
                if (failAfterAppend) {
                    throw new SimulatedFailure();
                }
            });
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                switch (step.kind()) {
                    case PLACE -> jdbcOrders.placeOrder(c, orderId, customer(step.order()), step.lines());
                    case ADD_LINES -> jdbcOrders.addLines(c, orderId, step.lines());
                    case PAY -> jdbcOrders.markPaid(c, orderId);
                }
                if (failAfterAppend) {
                    throw new SimulatedFailure();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static String orderId(int order) {
        return String.format("order-%04d", order);
    }

    private static String customer(int order) {
        return "customer-" + (order % 16);
    }

    /** Thrown inside a transaction to roll it back on purpose. */
    private static final class SimulatedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedFailure() {
            super("rolled back on purpose by the quickstart", null, false, false);
        }
    }
}
