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
         * @return rows parked, and the published events whose rows are not marked yet
         */
        Written write(Marks marks, Lease lease) throws SQLException;
    }

    /**
     * What a write did.
     *
     * @param parked    rows parked (refused events and invalid rows)
     * @param unmatched published events whose rows the write did not find {@code PUBLISHED} or
     *                  {@code PARKED} afterwards (a row not visible yet, a row gone, a fenced write)
     */
    record Written(int parked, List<OutboxRecord> unmatched) {

        /** Every row marked; {@code parked} of them parked. */
        static Written parked(int parked) {
            return new Written(parked, List.of());
        }
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
    /** A mark still looking for rows after this long is reported (once, WARN). */
    static final Duration REPORT_UNMATCHED_AFTER = Duration.ofSeconds(1);

    private final Store store;
    private final RelayMetrics metrics;
    private final CdcMetrics cdcMetrics;
    private final Duration unmatchedWait;
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
     * @param metrics       counts the published and parked events once their marks are written
     * @param cdcMetrics    counts the rows given up after {@code unmatchedWait}
     * @param unmatchedWait how long the rows of published events that a mark does not find are looked
     *                      for again (not visible yet) before they are given up: logged at ERROR,
     *                      counted in {@code outbox.cdc.marks.unmatched}, and no longer holding the offsets
     * @param lease         the lease the writes are fenced with; null when it was lost
     */
    MarkWriter(Store store, RelayMetrics metrics, CdcMetrics cdcMetrics, Duration unmatchedWait, RetryConfig retry,
               Supplier<Lease> lease, String threadName) {
        this.store = store;
        this.metrics = metrics;
        this.cdcMetrics = cdcMetrics;
        this.unmatchedWait = unmatchedWait;
        this.retry = retry;
        this.lease = lease;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The production store: the statements of {@code marks}; {@code markPublished} in TABLE mode only. */
    static Store into(OutboxMarks marks, boolean markPublished) {
        return (m, l) -> {
            List<OutboxRecord> unmatched = markPublished ? marks.markPublished(m.published(), l) : List.of();
            return new Written(marks.park(m.refused(), m.reasons(), l)
                    + marks.parkInvalidRows(m.invalidRows(), m.invalidReasons(), l), unmatched);
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

    /**
     * Writes with retries; false when the lease was lost or the writer closed first (nothing more is
     * written). A write that leaves rows of published events unmarked is not done: those rows are
     * marked again, with the retry backoff, until the mark finds them (regression: PostgreSQL hands a
     * commit to logical decoding before other sessions see its rows; the mark updated nothing, its
     * count was dropped and the offset passed a row that stayed PENDING for good).
     */
    private boolean write(Marks marks) {
        if (marks.isEmpty()) {
            return true;
        }
        Marks todo = marks;
        int attempt = 0;
        int unmatchedRounds = 0;
        long firstUnmatched = 0;
        boolean reported = false;
        while (true) {
            Lease l = lease.get();
            if (l == null) {
                LOG.atWarn().addKeyValue("published", todo.published().size())
                        .addKeyValue("parked", todo.refused().size() + todo.invalidRows().size())
                        .log("cdc lease lost, marks not written");
                return false;
            }
            Duration pause;
            try {
                Written w = store.write(todo, l);
                metrics.published(todo.published().size() - w.unmatched().size());
                metrics.parked(w.parked());
                if (w.unmatched().isEmpty()) {
                    if (reported) {
                        LOG.atInfo().addKeyValue("attempts", unmatchedRounds + 1)
                                .addKeyValue("waited_ms", (System.nanoTime() - firstUnmatched) / 1_000_000)
                                .log("rows of published events found and marked");
                    }
                    return true;
                }
                long now = System.nanoTime();
                if (unmatchedRounds++ == 0) {
                    firstUnmatched = now;
                }
                long waitedMs = (now - firstUnmatched) / 1_000_000;
                if (waitedMs >= unmatchedWait.toMillis()) {
                    giveUp(w.unmatched(), waitedMs);
                    return true;
                }
                if (!reported && waitedMs >= REPORT_UNMATCHED_AFTER.toMillis()) {
                    reported = true;
                    LOG.atWarn().addKeyValue("rows", w.unmatched().size()).addKeyValue("event_id", w.unmatched().get(0).id())
                            .addKeyValue("waited_ms", waitedMs).addKeyValue("gives_up_after_ms", unmatchedWait.toMillis())
                            .log("rows of published events not found by the mark yet (not visible yet?); offsets wait");
                }
                todo = new Marks(w.unmatched(), List.of(), List.of(), List.of(), List.of());
                pause = unmatchedPause(unmatchedRounds);
            } catch (SQLException e) {
                attempt++;
                pause = retry.backoff(attempt);
                LOG.atWarn().addKeyValue("published", todo.published().size())
                        .addKeyValue("parked", todo.refused().size() + todo.invalidRows().size())
                        .addKeyValue("attempt", attempt).addKeyValue("next_try_ms", pause.toMillis())
                        .addKeyValue("error", e.getMessage()).log("could not write back to the outbox table, retrying");
            }
            try {
                RetryBackoff.pause(pause, this::isClosed, "the mark writer closed");
            } catch (InterruptedException stop) {
                return false;
            }
        }
    }

    /** 10 ms, doubling, at most 1 s: a row not visible yet usually is within milliseconds. */
    private static Duration unmatchedPause(int round) {
        return Duration.ofMillis(Math.min(1000, 10L << Math.min(7, round - 1)));
    }

    private void giveUp(List<OutboxRecord> unmatched, long waitedMs) {
        cdcMetrics.unmatchedMarks(unmatched.size());
        for (OutboxRecord r : unmatched) {
            LOG.atError().addKeyValue("event_id", r.id()).addKeyValue("aggregate", r.aggregateKey())
                    .addKeyValue("waited_ms", waitedMs)
                    .log("row of a published event still not marked after waiting (not visible, gone, or fenced); the offset"
                            + " may now pass it: if the row exists and is still PENDING, it was sent, mark it PUBLISHED");
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
