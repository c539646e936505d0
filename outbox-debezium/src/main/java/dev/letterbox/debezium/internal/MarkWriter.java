package dev.letterbox.debezium.internal;

import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outbox marks of acknowledged batches (rows {@code PUBLISHED}, refused events and
 * invalid rows {@code PARKED}) on its own daemon thread, behind the engine: the engine hands a
 * batch over with {@link #submit} and goes on with the next one, and all batches handed over while
 * a write runs go into the next write, one statement per kind. A failed write is retried with the
 * {@code relay.retry.*} backoff while the {@code cdc} lease is held; without the lease nothing is
 * written (the writes are fenced anyway) and {@link #awaitWritten} keeps returning false.
 *
 * <p>The engine's offset commit waits on {@link #awaitWritten} (see {@link BatchPublisher}), so an
 * offset is stored only after the rows before it are marked. Thread-safe; {@link #close()} is idempotent.
 */
final class MarkWriter implements AutoCloseable {

    /** Where the marks go: the outbox table in production ({@link #into}), a fake in tests. */
    interface Store {
        /**
         * Writes the marks of {@code marks} while {@code lease} is still ours.
         *
         * @return rows parked (refused events and invalid rows)
         */
        int write(Marks marks, Lease lease) throws SQLException;
    }

    /**
     * The marks of one or more batches.
     *
     * @param published      acknowledged events, to mark {@code PUBLISHED} (TABLE mode)
     * @param refused        events Kafka refused for good, to park, with {@code reasons} (same order)
     * @param invalidRows    ids of rows that are not valid events, to park, with {@code invalidReasons}
     */
    record Marks(List<OutboxRecord> published, List<OutboxRecord> refused, List<String> reasons,
                 List<UUID> invalidRows, List<String> invalidReasons) {

        boolean isEmpty() {
            return published.isEmpty() && refused.isEmpty() && invalidRows.isEmpty();
        }

        static Marks combine(List<Marks> all) {
            Marks c = new Marks(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Marks m : all) {
                c.published.addAll(m.published);
                c.refused.addAll(m.refused);
                c.reasons.addAll(m.reasons);
                c.invalidRows.addAll(m.invalidRows);
                c.invalidReasons.addAll(m.invalidReasons);
            }
            return c;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(MarkWriter.class);
    private static final long WAIT_SLICE_MS = 200;

    private final Store store;
    private final RelayMetrics metrics;
    private final RetryConfig retry;
    private final Supplier<Lease> lease;
    private final Thread thread;
    private final Object lock = new Object();
    private final ArrayDeque<Marks> queue = new ArrayDeque<>(); // guarded by lock
    private long submitted; // guarded by lock
    private long written; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * Starts the thread {@code threadName}.
     *
     * @param metrics counts the published and parked events once their marks are written
     * @param lease   the lease the writes are fenced with; null when it was lost
     */
    MarkWriter(Store store, RelayMetrics metrics, RetryConfig retry, Supplier<Lease> lease, String threadName) {
        this.store = store;
        this.metrics = metrics;
        this.retry = retry;
        this.lease = lease;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The production store: the statements of {@code marks}; {@code markPublished} in TABLE mode only. */
    static Store into(OutboxMarks marks, boolean markPublished) {
        return (m, l) -> {
            if (markPublished) {
                marks.markPublished(m.published(), l);
            }
            return marks.park(m.refused(), m.reasons(), l) + marks.parkInvalidRows(m.invalidRows(), m.invalidReasons(), l);
        };
    }

    /** Hands the marks of a batch over; returns at once. */
    void submit(Marks marks) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the mark writer is closed; the batch must not be committed");
            }
            queue.add(marks);
            submitted++;
            lock.notifyAll();
        }
    }

    /**
     * Waits until every batch handed over before this call is written.
     *
     * @param giveUp looked at every 200 ms: true ends the wait
     * @return true when written; false when {@code giveUp} turned true first, or on interrupt (flag restored)
     */
    boolean awaitWritten(BooleanSupplier giveUp) {
        synchronized (lock) {
            long target = submitted;
            while (written < target) {
                if (giveUp.getAsBoolean()) {
                    return false;
                }
                try {
                    lock.wait(WAIT_SLICE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        while (true) {
            List<Marks> work;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                work = new ArrayList<>(queue);
                queue.clear();
            }
            if (!write(Marks.combine(work))) {
                return;
            }
            synchronized (lock) {
                written += work.size();
                lock.notifyAll();
            }
        }
    }

    /** Writes with retries; false when the lease was lost or the writer closed first (nothing more is written). */
    private boolean write(Marks marks) {
        if (marks.isEmpty()) {
            return true;
        }
        int attempt = 0;
        while (true) {
            Lease l = lease.get();
            if (l == null) {
                LOG.atWarn().addKeyValue("published", marks.published().size())
                        .addKeyValue("parked", marks.refused().size() + marks.invalidRows().size())
                        .log("cdc lease lost, marks not written");
                return false;
            }
            try {
                int parked = store.write(marks, l);
                metrics.published(marks.published().size());
                metrics.parked(parked);
                return true;
            } catch (SQLException e) {
                attempt++;
                Duration pause = retry.backoff(attempt);
                LOG.atWarn().addKeyValue("published", marks.published().size())
                        .addKeyValue("parked", marks.refused().size() + marks.invalidRows().size())
                        .addKeyValue("attempt", attempt).addKeyValue("next_try_ms", pause.toMillis())
                        .addKeyValue("error", e.getMessage()).log("could not write back to the outbox table, retrying");
                try {
                    RetryBackoff.pause(pause, this::isClosed, "the mark writer closed");
                } catch (InterruptedException stop) {
                    return false;
                }
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Stops the thread; marks not written yet are dropped (their offsets are never committed). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
    }
}
