package dev.letterbox.relay.internal;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs the progress of a draining backlog at a bounded rate: at most one {@code backlog draining}
 * line every 30 s while events are published and a backlog remains (fields {@code events_per_s},
 * {@code backlog}, {@code oldest_age_s}), and one {@code backlog drained} line when it is empty
 * again ({@code published}, {@code took_s}). Fed by the metrics sampler. Regression (issue 11, item
 * 15): 50,000 events were published without one log line.
 *
 * <p>Not thread-safe: one sampler thread calls it.
 */
final class ProgressLog {

    /** At most one progress line per this many nanoseconds. */
    static final long INTERVAL_NANOS = 30_000_000_000L;

    private final Logger log;
    private final LongSupplier nanoTime;
    private boolean draining;
    private long startedNanos;
    private long startedCount;
    private long lastNanos;
    private long lastCount;

    ProgressLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one sample.
     *
     * @param backlog          PENDING events, {@code NaN} when unknown
     * @param oldestAgeSeconds age of the oldest of them
     * @param publishedCount   events published by this instance so far
     */
    void sample(double backlog, double oldestAgeSeconds, long publishedCount) {
        if (Double.isNaN(backlog)) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!draining) {
            if (backlog > 0) {
                draining = true;
                startedNanos = now;
                startedCount = publishedCount;
                lastNanos = now;
                lastCount = publishedCount;
            }
            return;
        }
        if (backlog == 0) {
            draining = false;
            if (publishedCount > startedCount && now - startedNanos >= INTERVAL_NANOS) {
                log.atInfo().addKeyValue("published", publishedCount - startedCount)
                        .addKeyValue("took_s", Math.round((now - startedNanos) / 1e8) / 10.0).log("backlog drained");
            }
            return;
        }
        if (now - lastNanos >= INTERVAL_NANOS && publishedCount > lastCount) {
            double perSecond = (publishedCount - lastCount) / ((now - lastNanos) / 1e9);
            log.atInfo().addKeyValue("events_per_s", Math.round(perSecond)).addKeyValue("backlog", (long) backlog)
                    .addKeyValue("oldest_age_s", Math.round(oldestAgeSeconds * 10) / 10.0).log("backlog draining");
            lastNanos = now;
            lastCount = publishedCount;
        }
    }
}
