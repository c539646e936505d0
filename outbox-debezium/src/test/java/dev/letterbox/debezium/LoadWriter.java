package dev.letterbox.debezium;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends events in transactions of {@code perTransaction} events over {@code aggregates}
 * aggregates, at a steady pace, on its own thread, until {@link #close()}; remembers every event
 * of every committed transaction in commit order. Thread-safe.
 */
final class LoadWriter implements AutoCloseable {

    private final CdcFixture f;
    private final int perTransaction;
    private final int aggregates;
    private final Duration pause;
    private final List<OutboxEvent> committed = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final boolean rideOutFailures;
    private volatile int failedTransactions;
    private volatile boolean stop;

    LoadWriter(CdcFixture f, int perTransaction, int aggregates, Duration pause) {
        this(f, perTransaction, aggregates, pause, false);
    }

    /**
     * @param rideOutFailures true: a transaction that fails (database restarting) is counted and the
     *                        writer goes on; its events are not in {@link #committed()} (a failed
     *                        commit may still have committed: the table is the truth); false: the
     *                        writer stops and {@link #committed()} throws
     */
    LoadWriter(CdcFixture f, int perTransaction, int aggregates, Duration pause, boolean rideOutFailures) {
        this.f = f;
        this.rideOutFailures = rideOutFailures;
        this.perTransaction = perTransaction;
        this.aggregates = aggregates;
        this.pause = pause;
        this.thread = new Thread(this::run, "load-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int n = 0;
        while (!stop) {
            List<OutboxEvent> batch = new ArrayList<>(perTransaction);
            for (int i = 0; i < perTransaction; i++, n++) {
                batch.add(f.event("load-" + (n % aggregates), n));
            }
            try {
                f.append(WriteMode.TABLE, batch);
                committed.addAll(batch);
            } catch (Exception e) {
                if (!rideOutFailures) {
                    failure.set(e);
                    return;
                }
                failedTransactions++;
            } catch (Error e) {
                failure.set(e);
                return;
            }
            LockSupport.parkNanos(pause.toNanos()); // a steady load, not a wait for a condition
        }
    }

    /** Every event of every committed transaction so far, in commit order. */
    List<OutboxEvent> committed() {
        if (failure.get() != null) {
            throw new AssertionError("the load writer failed", failure.get());
        }
        return List.copyOf(committed);
    }

    /** Transactions that failed and were not retried (with {@code rideOutFailures}). */
    int failedTransactions() {
        return failedTransactions;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
