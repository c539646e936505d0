package dev.letterbox.relay.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names what holds log mode's horizon back: the oldest transactions of the whole PostgreSQL cluster
 * that have a transaction id (any database), and prepared transactions, running longer than a
 * given time. Without the {@code pg_read_all_stats} role, other users' sessions show only their
 * pid. Stateless and thread-safe.
 */
public final class HorizonBlockers {

    private HorizonBlockers() {
    }

    /** One blocking transaction, as {@code /health/ready}, {@code status} and the logs show it. */
    public record Blocker(Integer pid, String database, String application, String transactionStart, Long xidAge,
                          String state) {

        /** The fields by name, in this order, for JSON and health details. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("pid", pid);
            m.put("database", database);
            m.put("application", application);
            m.put("transactionStart", transactionStart);
            m.put("xidAge", xidAge);
            m.put("state", state);
            return m;
        }
    }

    /** The (at most three) oldest transactions with an xid running longer than {@code olderThan}, oldest first. */
    public static List<Blocker> find(Connection c, Duration olderThan) throws SQLException {
        String sql = "SELECT pid, datname, application_name, xact_start::text, age(backend_xid)::bigint, state, xact_start AS t"
                + " FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start < now() - ? * interval '1 millisecond'"
                + " UNION ALL SELECT NULL, database, 'prepared transaction ' || gid, prepared::text, age(transaction)::bigint,"
                + " 'prepared', prepared FROM pg_prepared_xacts WHERE prepared < now() - ? * interval '1 millisecond'"
                + " ORDER BY t LIMIT 3";
        List<Blocker> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, olderThan.toMillis());
            ps.setLong(2, olderThan.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Blocker((Integer) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            (Long) rs.getObject(5), rs.getString(6)));
                }
            }
        }
        return out;
    }
}
