package dev.letterbox.relay.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps mark-mode and log-mode instances from running together on one table: the lease table's
 * row {@code polling-mode} names the mode in force ({@code owner} column). An instance may run when
 * the row names its mode, or, when no other instance is live, switches the row to its mode (the
 * cut-over); otherwise it refuses. The check and this instance's membership heartbeat commit in one
 * transaction under the row's lock, so two instances starting at once cannot both switch.
 * Switching from log back to mark marks every row behind the stored positions PUBLISHED first.
 * Thread-safe.
 */
final class PollingModeGuard {

    static final String ROW = "polling-mode";
    private static final Logger LOG = LoggerFactory.getLogger(PollingModeGuard.class);

    private final Db db;
    private final LeaseStore store;
    private final String mode;

    /** Thrown when another live instance runs the other mode. */
    static final class ModeConflict extends RuntimeException {
        ModeConflict(String message) {
            super(message);
        }
    }

    PollingModeGuard(Db db, LeaseStore store, String mode) {
        this.db = db;
        this.store = store;
        this.mode = mode;
    }

    String mode() {
        return mode;
    }

    /**
     * What {@code relay.polling.mode: auto} means on PostgreSQL for this table now: {@code mark} while
     * another live instance runs it in mark mode (the mode row says mark, or there is none: instances
     * of an earlier version), so that a rolling upgrade joins the running instances instead of
     * refusing to publish next to them; {@code log} otherwise.
     *
     * @return the mode, and how many other live instances run the table in mark mode
     */
    static java.util.Map.Entry<String, Integer> resolveAuto(Db db, LeaseStore store) throws SQLException {
        return db.inTransaction(c -> {
            if ("log".equals(tableMode(db, c, false))) {
                return java.util.Map.entry("log", 0);
            }
            int others = otherLiveInstances(db, store, c);
            return others > 0 ? java.util.Map.entry("mark", others) : java.util.Map.entry("log", 0);
        });
    }

    /** The mode row's value (null when the row or its value is missing), locked for the transaction when asked. */
    static String tableMode(Db db, Connection c, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM " + db.leaseTable() + " WHERE name = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Live membership rows of instances other than this one. */
    private static int otherLiveInstances(Db db, LeaseStore store, Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + db.leaseTable() + " WHERE name LIKE"
                + " 'member-%' AND owner <> ? AND expires_at > " + db.dialect().now())) {
            ps.setString(1, store.instanceId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Checks (and if needed switches) the table's mode; throws {@link ModeConflict} when this instance must not run. */
    void check() throws SQLException {
        db.inTransaction(c -> {
            run(c);
            return null;
        });
    }

    private void run(Connection c) throws SQLException {
        String lease = db.leaseTable();
        store.ensureRows(c, java.util.List.of(ROW));
        String current = tableMode(db, c, true);
        store.heartbeat(c);
        if (mode.equals(current)) {
            return;
        }
        int others = otherLiveInstances(db, store, c);
        if (others > 0 && current != null) {
            throw new ModeConflict("relay.polling.mode is '" + mode + "' but " + others + " live instance(s) run this table"
                    + " in '" + current + "' mode: mark and log instances never run together (both would publish the"
                    + " same events). Stop the other instances, or set relay.polling.mode: " + current);
        }
        if (others > 0) {
            // instances from before the mode row existed run mark mode
            if (!"mark".equals(mode)) {
                throw new ModeConflict("relay.polling.mode is '" + mode + "' but " + others + " live instance(s) of an"
                        + " earlier version run this table in mark mode: stop them first, then start log-mode instances");
            }
        }
        if ("mark".equals(mode) && "log".equals(current)) {
            // back to mark: what log mode published is still PENDING; mark it, or it would be sent again
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.eventTable() + " e SET status = 'PUBLISHED',"
                    + " published_at = now() FROM " + lease + " l WHERE l.name = 'shard-' || e.shard AND e.status = 'PENDING'"
                    + " AND e.seq <= l.position")) {
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + lease + " SET position = NULL WHERE name LIKE 'shard-%'")) {
                ps.executeUpdate();
            }
            LOG.atInfo().addKeyValue("marked_published", n).log("switched the table from log mode back to mark mode");
        } else if ("log".equals(mode) && current != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + lease + " SET position = NULL WHERE name LIKE 'shard-%'")) {
                ps.executeUpdate();
            }
            LOG.atInfo().log("switched the table from mark mode to log mode (PUBLISHED rows stay unsent, PENDING rows are sent once)");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + lease + " SET owner = ?, epoch = epoch + 1 WHERE name = ?")) {
            ps.setString(1, mode);
            ps.setString(2, ROW);
            ps.executeUpdate();
        }
    }
}
