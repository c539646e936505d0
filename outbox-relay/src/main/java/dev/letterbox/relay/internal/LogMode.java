package dev.letterbox.relay.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One poller's log-mode state: its {@link LogReader}, the {@link LogPositions} store, and when the
 * positions it reached were last stored. The reader is confined to the poller (and its claimer,
 * through futures); the stored values are written on the marker thread. Thread-safe as used.
 */
final class LogMode {

    /** How often a held-back horizon's blockers are looked up and logged at most. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogMode.class);

    private final LogReader reader;
    private final LogPositions positions;
    private final long flushIntervalNanos;
    private final Map<Integer, Long> stored = new ConcurrentHashMap<>();
    private volatile long lastFlushNanos = System.nanoTime();
    private volatile LogReader.Stall stall;
    private volatile java.util.List<HorizonBlockers.Blocker> blockers = java.util.List.of();
    private long lastReportNanos = System.nanoTime() - REPORT_EVERY.toNanos();

    LogMode(LogReader reader, LogPositions positions, Duration flushInterval) {
        this.reader = reader;
        this.positions = positions;
        this.flushIntervalNanos = flushInterval.toNanos();
    }

    LogReader reader() {
        return reader;
    }

    LogPositions positions() {
        return positions;
    }

    /** The reader's horizon as last seen (read by other threads: a snapshot, possibly slightly stale). */
    LogReader.Stall stall() {
        return stall;
    }

    void stall(LogReader.Stall s) {
        this.stall = s;
    }

    /** The transactions that held the horizon back when last looked at (empty when it moves). */
    java.util.List<HorizonBlockers.Blocker> blockers() {
        return blockers;
    }

    /**
     * Looks up what holds the horizon back, at most every {@link #REPORT_EVERY}, once the horizon
     * has waited longer than {@code wait}; logs it; returns true when it looked.
     */
    boolean report(java.sql.Connection c, Duration wait, String instanceId) throws java.sql.SQLException {
        LogReader.Stall s = stall;
        if (s == null || s.ageNanos() <= wait.toNanos()) {
            blockers = java.util.List.of();
            return false;
        }
        long now = System.nanoTime();
        if (now - lastReportNanos < REPORT_EVERY.toNanos()) {
            return false;
        }
        lastReportNanos = now;
        blockers = HorizonBlockers.find(c, wait);
        LOG.atWarn().addKeyValue("instance", instanceId).addKeyValue("horizon_age_ms", s.ageNanos() / 1_000_000)
                .addKeyValue("horizon", s.horizon()).addKeyValue("sequence", s.lastValue())
                .addKeyValue("blockers", blockers).log("log mode's horizon is held back by a long transaction; events"
                        + " committed meanwhile are still published, a crash now sends them again");
        return true;
    }

    /** Whether the flush interval has passed since positions were last stored. */
    boolean flushDue() {
        return System.nanoTime() - lastFlushNanos >= flushIntervalNanos;
    }

    /** The acknowledged positions not stored yet, by shard (poller thread). */
    Map<Integer, Long> unstored() {
        Map<Integer, Long> out = new HashMap<>();
        reader.cursors().forEach((shard, cursor) -> {
            Long done = stored.get(shard);
            if (done == null || cursor.acked > done) {
                out.put(shard, cursor.acked);
            }
        });
        return out;
    }

    /** Records positions as stored (marker thread). */
    void stored(Map<Integer, Long> reached) {
        stored.putAll(reached);
        lastFlushNanos = System.nanoTime();
    }
}
