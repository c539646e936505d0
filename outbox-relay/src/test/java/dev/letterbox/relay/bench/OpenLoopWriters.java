package dev.letterbox.relay.bench;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes single-event transactions at a fixed rate, open loop: event {@code i} is due at
 * {@code t0 + i/rate} whatever happened to the earlier ones, spread over {@code writers} threads
 * with one connection each; a writer that falls behind starts its next transaction at once.
 * Records, per event id, the {@link System#nanoTime()} right after its commit returned. Thread-safe
 * for the readers of {@link #commits()} once {@link #run} returned.
 */
final class OpenLoopWriters {

    /** Commit time per event id; only events due after the warm-up are kept. */
    private final Map<UUID, Long> commits = new ConcurrentHashMap<>();
    private final List<Long> commitLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong late = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder cpuNanos = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastCommit = new AtomicLong();
    private volatile long measureFrom;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BenchEnv env;
    private final Outbox outbox;

    OpenLoopWriters(BenchEnv env) {
        this(env, null);
    }

    /** Writers whose {@link Outbox} wakes the relay ({@code Outbox.Builder#notifyRelay}) when {@code notifyRelay} is set. */
    OpenLoopWriters(BenchEnv env, Duration notifyRelay) {
        this.env = env;
        Outbox.Builder b = Outbox.builder().tables(BenchEnv.TABLES);
        this.outbox = (notifyRelay == null ? b : b.notifyRelay(notifyRelay)).build();
    }

    /**
     * Runs {@code warmupNanos + measureNanos} of load at {@code rate} events/s and returns when every
     * writer finished; {@code notify} adds {@code NOTIFY <prefix>event} to each transaction.
     */
    void run(String aggregateType, int rate, int writers, int keys, long warmupNanos, long measureNanos,
             boolean notify) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long t0 = System.nanoTime() + 50_000_000L;
        long measureFrom = t0 + warmupNanos;
        this.measureFrom = measureFrom;
        long end = measureFrom + measureNanos;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int index = w;
            Thread t = new Thread(() -> write(index, writers, aggregateType, keys, interval, t0, measureFrom, end, notify),
                    "bench-writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
        }
    }

    private void write(int index, int writers, String type, int keys, long interval, long t0, long measureFrom,
                       long end, boolean notify) {
        try (Connection c = env.openConnection("bench-writer-" + index); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (long k = index; ; k += writers) {
                long due = t0 + k * interval;
                if (due >= end) {
                    return;
                }
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                } else if (now - due > 5_000_000L && due >= measureFrom) {
                    late.incrementAndGet();
                }
                OutboxEvent e = OutboxEvent.builder().aggregateType(type).aggregateId("order-" + (k % keys))
                        .eventType("OrderPlaced").payload(env.payloads.get((int) (k % env.payloads.size())))
                        .header("tenant", "acme").build();
                long start = System.nanoTime();
                outbox.append(c, e);
                if (notify) {
                    s.execute("NOTIFY \"" + BenchEnv.TABLES.eventTable() + "\"");
                }
                c.commit();
                long committed = System.nanoTime();
                written.incrementAndGet();
                if (due >= measureFrom) {
                    commits.put(e.id(), committed);
                    commitLatencies.add(committed - start);
                    lastCommit.accumulateAndGet(committed, Math::max);
                }
            }
        } catch (SQLException | RuntimeException ex) {
            failure.compareAndSet(null, ex);
        } finally {
            // The thread ends here and takes its CPU time with it: keep it for the harness's CPU split.
            cpuNanos.add(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        }
    }

    /** CPU nanoseconds the writer threads used, once {@link #run} returned. */
    long cpuNanos() {
        return cpuNanos.sum();
    }

    Map<UUID, Long> commits() {
        return commits;
    }

    /** Nanos from the start of each measured transaction to the return of its commit. */
    long[] commitLatencies() {
        synchronized (commitLatencies) {
            return commitLatencies.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Measured events whose transaction started more than 5 ms after it was due. */
    long late() {
        return late.get();
    }

    long written() {
        return written.get();
    }

    /** The measured events per second actually committed: from the first due time to the last commit. */
    double achievedRate() {
        long span = lastCommit.get() - measureFrom;
        return span <= 0 ? Double.NaN : commits.size() / (span / 1e9);
    }
}
