package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Log mode's positions on the shard lease rows ({@code position}, schema version 4): every event
 * of the shard with {@code seq <= position} was published. A write is fenced by owner and epoch in
 * the statement itself and never moves a position backwards. Thread-safe.
 */
final class LogPositions {

    private final Db db;
    private final String instanceId;

    LogPositions(Db db, String instanceId) {
        this.db = db;
        this.instanceId = instanceId;
    }

    /** The stored positions of the given shards; a shard whose position was never set is absent. */
    Map<Integer, Long> load(Connection c, Collection<Integer> shards) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        List<Object> names = new ArrayList<>(shards.size());
        for (Integer s : shards) {
            names.add(LeaseStore.shardName(s));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name, position FROM " + db.leaseTable()
                + " WHERE name = ANY(?) AND position IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(ShardLeases.shardOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /**
     * Stores positions, each only where this instance still holds the shard's lease with the given
     * epoch, and only forwards; returns the shards whose position moved (a shard missing: its
     * lease was lost, or its position was already there).
     */
    Set<Integer> store(Connection c, Map<Integer, Long> positions, Map<Integer, Lease> leases) throws SQLException {
        if (positions.isEmpty()) {
            return Set.of();
        }
        List<Object> tokens = new ArrayList<>(positions.size());
        List<Object> values = new ArrayList<>(positions.size());
        positions.forEach((shard, pos) -> {
            Lease l = leases.get(shard);
            if (l != null) {
                tokens.add(l.token());
                values.add(pos);
            }
        });
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.leaseTable() + " l"
                + " SET position = GREATEST(COALESCE(l.position, v.pos), v.pos)"
                + " FROM unnest(?::text[], ?::int8[]) AS v(token, pos)"
                + " WHERE l.name || '@' || l.epoch = v.token AND l.owner = ? AND l.expires_at > now()"
                + " AND (l.position IS NULL OR l.position < v.pos) RETURNING l.name")) {
            ps.setArray(1, c.createArrayOf("text", tokens.toArray()));
            ps.setArray(2, c.createArrayOf("int8", values.toArray()));
            ps.setString(3, instanceId);
            Set<Integer> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ShardLeases.shardOf(rs.getString(1)));
                }
            }
            return out;
        }
    }

    /** The lowest position over all 64 shards, or null while any shard has none (cleanup's bound). */
    Long lowest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(position), min(position) FROM " + db.leaseTable()
                + " WHERE name LIKE 'shard-%'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1) < LeaseStore.SHARDS ? null : rs.getLong(2);
        }
    }
}
