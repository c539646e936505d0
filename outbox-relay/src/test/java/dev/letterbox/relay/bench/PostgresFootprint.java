package dev.letterbox.relay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What the benchmark's database costs on a local PostgreSQL server, read from outside the relay:
 * transactions committed and rolled back in that database ({@code pg_stat_database}) and CPU time
 * of the server's processes ({@code /proc}), the backends split by {@code application_name}
 * prefix. Its own queries run on a connection to the server's administrative database, so they add
 * no transaction to the counted one. Not thread-safe.
 *
 * <p>PostgreSQL 15 adds a backend's transactions to {@code pg_stat_database} when the backend goes
 * idle at most once a second, and an idle backend may hold them up to 10 s; a backend that exits
 * flushes at once. {@link #awaitGone} is how a caller makes counts exact at a boundary: it closes
 * the backends (evicting pooled connections) and waits until they are gone.
 */
final class PostgresFootprint implements AutoCloseable {

    /** Application name of this class's own connection. */
    static final String MONITOR = "bench-monitor";

    private final Connection monitor;
    private final String database;
    private final int postmaster;

    private PostgresFootprint(Connection monitor, String database, int postmaster) {
        this.monitor = monitor;
        this.database = database;
        this.postmaster = postmaster;
    }

    /** Connects to the server of {@code env}'s database; CPU readings need the server on this machine. */
    static PostgresFootprint open(BenchEnv env) throws SQLException {
        Connection c = DriverManager.getConnection(env.db.adminJdbcUrl(), BenchEnv.connectionProperties(env, MONITOR));
        int backend;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getInt(1);
        }
        ProcStat self = ProcStat.read(backend);
        int postmaster = self != null && self.comm().equals("postgres") ? self.ppid() : -1;
        return new PostgresFootprint(c, env.db.name(), postmaster);
    }

    /** Whether the server's processes can be read here (the server runs on this machine). */
    boolean local() {
        return postmaster > 0;
    }

    /** Committed plus rolled-back transactions of the benchmark's database so far. */
    long transactions() throws SQLException {
        try (PreparedStatement ps = monitor.prepareStatement(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The server's WAL write position in bytes (the whole cluster's WAL, every database's). */
    long walBytes() throws SQLException {
        try (ResultSet rs = monitor.createStatement().executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The backends in the benchmark's database whose application name starts with {@code prefix}: pid to name. */
    Map<Integer, String> backends(String prefix) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (PreparedStatement ps = monitor.prepareStatement("SELECT pid, application_name FROM pg_stat_activity"
                + " WHERE datname = ? AND starts_with(application_name, ?)")) {
            ps.setString(1, database);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Waits until none of {@code pids} is a backend any more (their statistics are then flushed); false on timeout. */
    boolean awaitGone(Iterable<Integer> pids, Duration timeout) {
        return BenchEnv.await(timeout, () -> {
            for (int pid : pids) {
                if (isBackend(pid)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Application name, state, state age and query of those of {@code pids} that are still backends, for a report. */
    String describe(Iterable<Integer> pids) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (PreparedStatement ps = monitor.prepareStatement("SELECT application_name, state,"
                + " round(extract(epoch FROM now() - state_change)::numeric, 1), left(query, 80)"
                + " FROM pg_stat_activity WHERE pid = ?")) {
            for (int pid : pids) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        sb.append(sb.length() == 0 ? "" : "; ").append("pid ").append(pid).append(' ')
                                .append(rs.getString(1)).append(' ').append(rs.getString(2)).append(" for ")
                                .append(rs.getString(3)).append(" s: ").append(rs.getString(4));
                    }
                }
            }
        }
        return sb.toString();
    }

    private boolean isBackend(int pid) {
        try (PreparedStatement ps = monitor.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_stat_activity failed: " + e.getMessage(), e);
        }
    }

    /** CPU ticks now: the whole server, and each backend of {@code prefix}; null when the server is not local. */
    Cpu cpu(String prefix) throws SQLException {
        if (!local()) {
            return null;
        }
        Map<Integer, Long> backends = new HashMap<>();
        for (int pid : backends(prefix).keySet()) {
            ProcStat p = ProcStat.read(pid);
            if (p != null) {
                backends.put(pid, p.ticks());
            }
        }
        ProcStat master = ProcStat.read(postmaster);
        long server = master == null ? 0 : master.ticks() + master.reaped();
        for (ProcStat p : ProcStat.all()) {
            if (p.ppid() == postmaster) {
                server += p.ticks();
            }
        }
        return new Cpu(server, backends);
    }

    /**
     * CPU ticks of the server's processes at one moment.
     *
     * @param server   the postmaster, its live children and those already reaped
     * @param backends ticks per backend pid of one application-name prefix
     */
    record Cpu(long server, Map<Integer, Long> backends) {

        /** Server ticks since {@code start}. */
        long serverSince(Cpu start) {
            return server - start.server;
        }

        /** The backends' ticks since {@code start}; backends opened since count in full, closed ones are missing. */
        long backendsSince(Cpu start) {
            long sum = 0;
            for (Map.Entry<Integer, Long> e : backends.entrySet()) {
                sum += e.getValue() - start.backends.getOrDefault(e.getKey(), 0L);
            }
            return sum;
        }
    }

    /**
     * Starts counting statements afresh when the server has {@code pg_stat_statements} (preloaded,
     * and the extension created in the administrative database); false when it has not.
     */
    boolean resetStatementStats() {
        try (ResultSet rs = monitor.createStatement().executeQuery("SELECT pg_stat_statements_reset()")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The {@code n} statements of the benchmark's database run most often since
     * {@link #resetStatementStats}, as "calls x text" (whitespace folded, text cut at 100 characters),
     * BEGIN and COMMIT included; empty when {@code pg_stat_statements} cannot be read.
     */
    String topStatements(int n) {
        StringBuilder sb = new StringBuilder();
        try (PreparedStatement ps = monitor.prepareStatement("SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)"
                + " ORDER BY calls DESC LIMIT ?")) {
            ps.setString(1, database);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sb.append("\n      ").append(rs.getLong(1)).append(" x ").append(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            return "";
        }
        return sb.toString();
    }

    @Override
    public void close() throws SQLException {
        monitor.close();
    }
}
