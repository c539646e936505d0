package dev.letterbox.relay.internal;

import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.InboxPurgeConfig;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.LeaseManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes PUBLISHED rows older than the retention, and purges old inbox entries, in bounded
 * batches with pauses, on the one instance that holds the {@code cleanup} lease (it keeps renewing
 * it while it runs, so runs never overlap). Runs on its own daemon thread
 * {@code outbox-relay-cleanup}; {@link #close()} stops it and releases the lease. Thread-safe.
 */
final class Cleaner implements AutoCloseable {

    static final String LEASE = "cleanup";
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

    private final Db db;
    private final CleanupConfig config;
    private final InboxPurgeConfig inbox;
    private final LeaseManager leases;
    private final RelayMetrics metrics;
    private final Waker waker = new Waker();
    private final OutageLog outage = new OutageLog(LOG, "database (cleanup)");
    private final Thread thread;
    private volatile Lease lease;
    private long nextRunNanos = System.nanoTime();

    Cleaner(Db db, CleanupConfig config, InboxPurgeConfig inbox, LeaseManager leases, RelayMetrics metrics) {
        this.db = db;
        this.config = config;
        this.inbox = inbox;
        this.leases = leases;
        this.metrics = metrics;
        this.thread = new Thread(CallerMdc.wrap(this::loop), "outbox-relay-cleanup");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether this instance holds the cleanup lease now. */
    boolean active() {
        return lease != null;
    }

    private void loop() {
        Duration every = leases.ttl().dividedBy(3);
        while (!waker.stopped()) {
            try {
                if (holdLease() && System.nanoTime() - nextRunNanos >= 0) {
                    runOnce();
                    nextRunNanos = System.nanoTime() + config.interval().toNanos();
                }
                outage.succeeded();
            } catch (SQLException | RuntimeException e) {
                outage.failed(e, every);
                lease = null;
            }
            waker.await(every);
        }
    }

    private boolean holdLease() {
        Lease held = lease;
        Optional<Lease> now = held == null ? leases.tryAcquire(LEASE) : leases.renew(held);
        if (held == null && now.isPresent()) {
            LOG.atInfo().addKeyValue("instance", now.get().owner()).addKeyValue("epoch", now.get().epoch())
                    .log("cleanup lease acquired");
        }
        lease = now.orElse(null);
        return lease != null;
    }

    /** One cleanup run: events, then the inbox; returns rows deleted. */
    long runOnce() throws SQLException {
        long started = System.nanoTime();
        long events = purge(false) + purgeBehindLogPositions();
        long entries = inbox.enabled() ? purge(true) : 0;
        if (events + entries > 0) {
            // regression (issue 11, item 15): how long a cleanup run took was not logged
            LOG.atInfo().addKeyValue("deleted_events", events).addKeyValue("deleted_inbox_entries", entries)
                    .addKeyValue("took_ms", (System.nanoTime() - started) / 1_000_000).log("cleanup run done");
        }
        return events + entries;
    }

    private long purge(boolean inboxTable) throws SQLException {
        String sql = deleteSql(inboxTable);
        long retentionMs = (inboxTable ? inbox.retention() : config.retention()).toMillis();
        long total = 0;
        while (!waker.stopped()) {
            int deleted = db.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, retentionMs);
                    ps.setInt(2, config.batchSize());
                    return ps.executeUpdate();
                }
            });
            total += deleted;
            metrics.cleanupDeleted(inboxTable, deleted);
            if (deleted < config.batchSize() || !holdLease()) {
                break;
            }
            if (!config.pause().isZero()) {
                waker.await(config.pause());
            }
        }
        return total;
    }

    /**
     * Log mode (PostgreSQL): deletes, in seq order and bounded batches, the rows behind every
     * shard's position and past the retention (published rows are never updated there, so
     * {@code published_at} stays empty; {@code created_at} is the age). Each statement reads at most
     * one batch of the PENDING index; a run stops at the first batch holding a row too young.
     */
    private long purgeBehindLogPositions() throws SQLException {
        if (db.dialect() != SqlDialect.POSTGRES) {
            return 0;
        }
        Long lowest = db.run(c -> new LogPositions(db, null).lowest(c));
        if (lowest == null) {
            return 0;
        }
        String t = db.eventTable();
        String sql = "DELETE FROM " + t + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM (SELECT ctid, created_at FROM " + t
                + " WHERE status = 'PENDING' AND seq <= ? ORDER BY seq LIMIT ?) b WHERE created_at < "
                + SqlDialect.POSTGRES.nowMinusMillis() + "))";
        long total = 0;
        while (!waker.stopped()) {
            int deleted = db.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, lowest);
                    ps.setInt(2, config.batchSize());
                    ps.setLong(3, config.retention().toMillis());
                    return ps.executeUpdate();
                }
            });
            total += deleted;
            metrics.cleanupDeleted(false, deleted);
            if (deleted < config.batchSize() || !holdLease()) {
                break;
            }
            if (!config.pause().isZero()) {
                waker.await(config.pause());
            }
        }
        return total;
    }

    private String deleteSql(boolean inboxTable) throws SQLException {
        SqlDialect d = db.dialect();
        String table = inboxTable ? db.inboxTable() : db.eventTable();
        String where = inboxTable
                ? "processed_at < " + d.nowMinusMillis()
                : "status = 'PUBLISHED' AND published_at < " + d.nowMinusMillis();
        if (d == SqlDialect.POSTGRES) {
            // the search reads the partial index on published_at WHERE status = 'PUBLISHED' (schema
            // version 3): only the rows it deletes, not the whole table
            return "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE " + where
                    + " LIMIT ?))";
        }
        if (inboxTable) {
            return "DELETE FROM " + table + " WHERE " + where + " LIMIT ?";
        }
        // the search reads the (status, published_at) index of schema version 3 in its order, only the
        // entries of the rows it deletes. A single-table DELETE ... ORDER BY ... LIMIT is planned on the
        // (status, seq) index instead, walking every PUBLISHED row when none is old enough
        return "DELETE e FROM " + table + " e JOIN (SELECT seq FROM " + table + " WHERE " + where
                + " ORDER BY published_at, seq LIMIT ?) d ON e.seq = d.seq";
    }

    @Override
    public void close() {
        waker.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Lease held = lease;
        lease = null;
        if (held != null) {
            try {
                leases.release(held);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("error", e.getMessage()).log("releasing the cleanup lease failed; it expires by itself");
            }
        }
    }
}
