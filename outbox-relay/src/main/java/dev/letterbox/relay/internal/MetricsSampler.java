package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayMetrics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the backlog and the age of the oldest PENDING event from the database every interval, on
 * its own daemon thread {@code outbox-relay-metrics}; when the database cannot be read both gauges
 * become {@code NaN}, never 0. Thread-safe.
 */
final class MetricsSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);
    /** Up to this many PENDING rows the backlog gauge is an exact count. */
    static final long EXACT_BACKLOG = 100_000;

    private final Db db;
    private final RelayMetrics metrics;
    private final Duration interval;
    private final Waker waker = new Waker();
    private final ProgressLog progress = new ProgressLog(LoggerFactory.getLogger(ProgressLog.class), System::nanoTime);
    private final Thread thread;

    MetricsSampler(Db db, RelayMetrics metrics, Duration interval) {
        this.db = db;
        this.metrics = metrics;
        this.interval = interval;
        this.thread = new Thread(CallerMdc.wrap(this::loop), "outbox-relay-metrics");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (!waker.stopped()) {
            sample();
            waker.await(interval);
        }
    }

    /** Reads both gauges now; sets them to NaN when the database cannot be read. */
    void sample() {
        try {
            // one transaction for the mode and both gauges: three commits per sample were a tenth of an
            // idle relay's database transactions
            double[] values = db.inTransaction(c -> logMode(c)
                    ? new double[] {logBacklog(c), logOldestAgeSeconds(c)}
                    : new double[] {backlog(c), oldestAgeSeconds(c)});
            metrics.backlog(values[0]);
            metrics.oldestUnpublishedAge(values[1]);
            progress.sample(values[0], values[1], metrics.publishedCount());
        } catch (SQLException | RuntimeException e) {
            metrics.backlog(Double.NaN);
            metrics.oldestUnpublishedAge(Double.NaN);
            LOG.atDebug().addKeyValue("error", e.getMessage()).log("metrics sample failed");
        }
    }

    /**
     * PENDING rows: counted exactly up to {@link #EXACT_BACKLOG}; above that, the span of their
     * sequence numbers (an upper bound, exact for a contiguous backlog). Regression: an exact
     * count(*) read the whole backlog on every sample, a 5 s parallel scan per instance every
     * interval at a 10M-row backlog, slowing the very drain it measured.
     */
    private double backlog(java.sql.Connection c) throws SQLException {
        String t = db.eventTable();
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM " + t
                + " WHERE status = 'PENDING' LIMIT " + (EXACT_BACKLOG + 1) + ") b"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long counted = rs.getLong(1);
            if (counted <= EXACT_BACKLOG) {
                return counted;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) - min(seq) + 1 FROM " + t
                + " WHERE status = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Math.max(EXACT_BACKLOG + 1, rs.getLong(1));
        }
    }

    private double oldestAgeSeconds(java.sql.Connection c) throws SQLException {
        SqlDialect d = db.dialect();
        String age = d == SqlDialect.POSTGRES
                ? "EXTRACT(EPOCH FROM (now() - created_at))"
                : "TIMESTAMPDIFF(MICROSECOND, created_at, NOW(6)) / 1000000.0";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + age + " FROM " + db.eventTable()
                + " WHERE status = 'PENDING' ORDER BY seq LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Math.max(0, rs.getDouble(1)) : 0.0;
        }
    }

    /** Whether the table runs in log mode (the lease table's mode row says so). */
    private boolean logMode(java.sql.Connection c) throws SQLException {
        if (db.dialect() != SqlDialect.POSTGRES) {
            return false;
        }
        return "log".equals(PollingModeGuard.tableMode(db, c, false));
    }

    /**
     * Log mode: the events above their shard's stored position. The scan starts at the lowest
     * position (a shard without one counts from the start).
     */
    static String aboveLogPositions(String eventTable, String leaseTable) {
        return " FROM " + eventTable + " e LEFT JOIN " + leaseTable + " l ON l.name = 'shard-' || e.shard"
                + " WHERE e.status = 'PENDING' AND e.seq > COALESCE(l.position, 0) AND e.seq > (SELECT CASE WHEN"
                + " count(*) = count(position) AND count(*) = " + LeaseStore.SHARDS + " THEN min(position) ELSE 0 END FROM "
                + leaseTable + " WHERE name LIKE 'shard-%')";
    }

    private double logBacklog(java.sql.Connection c) throws SQLException {
        String above = aboveLogPositions(db.eventTable(), db.leaseTable());
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1" + above + " LIMIT "
                + (EXACT_BACKLOG + 1) + ") b"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long counted = rs.getLong(1);
            if (counted <= EXACT_BACKLOG) {
                return counted;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT max(e.seq) - min(e.seq) + 1" + above);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Math.max(EXACT_BACKLOG + 1, rs.getLong(1));
        }
    }

    private double logOldestAgeSeconds(java.sql.Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXTRACT(EPOCH FROM (now() - e.created_at))"
                + aboveLogPositions(db.eventTable(), db.leaseTable()) + " ORDER BY e.seq LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Math.max(0, rs.getDouble(1)) : 0.0;
        }
    }

    @Override
    public void close() {
        waker.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
