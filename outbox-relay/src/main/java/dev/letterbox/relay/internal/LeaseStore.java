package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * The statements on the lease table. Expiry is always judged by the database clock ({@code now()}
 * in SQL), never the JVM's, so instances with skewed clocks agree. Every acquisition increments the
 * epoch. Thread-safe.
 */
final class LeaseStore {

    /** Number of shards; the event table computes {@code shard} as a hash of the aggregate id modulo this. */
    static final int SHARDS = 64;

    /** One row of the lease table as read now. */
    record Row(String name, String owner, long epoch, boolean live) {
    }

    private final Db db;
    private final String instanceId;
    private final Duration ttl;

    LeaseStore(Db db, String instanceId, Duration ttl) {
        this.db = db;
        this.instanceId = instanceId;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    String instanceId() {
        return instanceId;
    }

    static String shardName(int shard) {
        return "shard-" + shard;
    }

    /** The lease row name that shows this instance is alive, at most 64 characters. */
    String memberName() {
        String name = "member-" + instanceId;
        if (name.length() <= 64) {
            return name;
        }
        return "member-" + Integer.toHexString(instanceId.hashCode()) + "-" + instanceId.substring(instanceId.length() - 40);
    }

    /** Inserts the given lease rows when they do not exist yet (free, epoch 0). */
    void ensureRows(Connection c, Collection<String> names) throws SQLException {
        SqlDialect d = db.dialect();
        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < names.size(); i++) {
            values.add("(?, 0)");
        }
        String sql = (d == SqlDialect.POSTGRES ? "INSERT INTO " : "INSERT IGNORE INTO ") + db.leaseTable()
                + " (name, epoch) VALUES " + values + (d == SqlDialect.POSTGRES ? " ON CONFLICT (name) DO NOTHING" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String n : names) {
                ps.setString(i++, n);
            }
            ps.executeUpdate();
        }
    }

    /** Upserts this instance's membership row, live for one TTL from now. */
    void heartbeat(Connection c) throws SQLException {
        SqlDialect d = db.dialect();
        String sql = "INSERT INTO " + db.leaseTable() + " (name, owner, epoch, expires_at) VALUES (?, ?, 0, "
                + d.nowPlusMillis() + ")" + (d == SqlDialect.POSTGRES
                ? " ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at"
                : " ON DUPLICATE KEY UPDATE owner = VALUES(owner), expires_at = VALUES(expires_at)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, memberName());
            ps.setString(2, instanceId);
            ps.setLong(3, ttl.toMillis());
            ps.executeUpdate();
        }
    }

    /** Removes this instance's membership row (clean shutdown). */
    void leave(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.leaseTable() + " WHERE name = ? AND owner = ?")) {
            ps.setString(1, memberName());
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    /** Reads every lease row with whether it is live now (database time). */
    List<Row> readAll(Connection c) throws SQLException {
        SqlDialect d = db.dialect();
        String sql = "SELECT name, owner, epoch, CASE WHEN expires_at > " + d.now() + " THEN 1 ELSE 0 END FROM "
                + db.leaseTable();
        List<Row> rows = new ArrayList<>(SHARDS + 8);
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1));
            }
        }
        return rows;
    }

    /** Extends every given lease this instance still holds unexpired with that epoch; returns how many. */
    int renew(Connection c, Collection<Lease> leases) throws SQLException {
        if (leases.isEmpty()) {
            return 0;
        }
        SqlDialect d = db.dialect();
        String sql = "UPDATE " + db.leaseTable() + " SET expires_at = " + d.nowPlusMillis()
                + " WHERE owner = ? AND expires_at > " + d.now() + " AND "
                + d.inList(d.concat("name", "'@'", "epoch"), "text", leases.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ttl.toMillis());
            ps.setString(2, instanceId);
            d.bindList(ps, 3, "text", leases.stream().map(Lease::token).toList());
            return ps.executeUpdate();
        }
    }

    /**
     * Takes the named leases that are free or expired (or, with {@code orOwn}, already ours),
     * incrementing their epochs; read the table afterwards to learn which were won.
     */
    int acquire(Connection c, Collection<String> names, boolean orOwn) throws SQLException {
        if (names.isEmpty()) {
            return 0;
        }
        SqlDialect d = db.dialect();
        String sql = "UPDATE " + db.leaseTable() + " SET owner = ?, epoch = epoch + 1, expires_at = " + d.nowPlusMillis()
                + " WHERE " + d.inList("name", "text", names.size())
                + " AND (owner IS NULL OR expires_at IS NULL OR expires_at <= " + d.now() + (orOwn ? " OR owner = ?" : "")
                + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, instanceId);
            ps.setLong(2, ttl.toMillis());
            int i = d.bindList(ps, 3, "text", new ArrayList<>(names));
            if (orOwn) {
                ps.setString(i, instanceId);
            }
            return ps.executeUpdate();
        }
    }

    /** Frees the given leases at once if this instance still holds them with that epoch. */
    int release(Connection c, Collection<Lease> leases) throws SQLException {
        if (leases.isEmpty()) {
            return 0;
        }
        SqlDialect d = db.dialect();
        String sql = "UPDATE " + db.leaseTable() + " SET owner = NULL, expires_at = NULL WHERE owner = ? AND "
                + d.inList(d.concat("name", "'@'", "epoch"), "text", leases.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, instanceId);
            d.bindList(ps, 2, "text", leases.stream().map(Lease::token).toList());
            return ps.executeUpdate();
        }
    }
}
