package dev.letterbox.relay.bench;

import dev.letterbox.relay.bench.ThreadCpu.Group;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One measured window of a relay fleet: the database transactions of the benchmark's database, the
 * CPU time of this JVM's threads by group, of the relay's PostgreSQL backends and of the whole
 * server, the machine's busy time, and the relay's claim statements. At both ends the relay's
 * pooled connections are evicted and the harness waits until their backends are gone, so that
 * PostgreSQL's delayed statistics hold exactly the window's transactions. Not thread-safe.
 */
final class SteadyWindow {

    /** Application-name prefix of the relay's connections (see {@link RelayFleet}). */
    static final String RELAY_BACKENDS = "bench-relay";
    private static final Duration EVICTION_TIMEOUT = Duration.ofSeconds(30);

    private final RelayFleet fleet;
    private final PostgresFootprint postgres;
    private final long startNanos;
    private final long transactions;
    private final long wal;
    private final ThreadCpu threads;
    private final PostgresFootprint.Cpu serverCpu;
    private final long[] machine;
    private final boolean exactStart;

    private SteadyWindow(RelayFleet fleet, PostgresFootprint postgres, boolean exactStart) throws SQLException {
        this.fleet = fleet;
        this.postgres = postgres;
        this.exactStart = exactStart;
        this.transactions = postgres.transactions();
        this.wal = postgres.walBytes();
        fleet.timer.reset();
        this.serverCpu = postgres.cpu(RELAY_BACKENDS);
        this.threads = ThreadCpu.now();
        this.machine = ProcStat.machine();
        this.startNanos = System.nanoTime();
    }

    /** Flushes the relay backends' statistics and starts measuring. */
    static SteadyWindow open(RelayFleet fleet, PostgresFootprint postgres) throws SQLException {
        return new SteadyWindow(fleet, postgres, flush(fleet, postgres));
    }

    /**
     * Evicts the relay's connections and waits until their backends exited; false, after printing
     * the backends left, if some outlived the timeout.
     */
    private static boolean flush(RelayFleet fleet, PostgresFootprint postgres) throws SQLException {
        Set<Integer> pids = postgres.backends(RELAY_BACKENDS).keySet();
        fleet.evictConnections();
        if (postgres.awaitGone(pids, EVICTION_TIMEOUT)) {
            return true;
        }
        System.out.println("  (relay backends still open " + EVICTION_TIMEOUT.toSeconds() + " s after the eviction,"
                + " their statistics may be unflushed: " + postgres.describe(pids) + ")");
        return false;
    }

    /** Ends the window: CPU is read first, then the relay backends are flushed and the transactions read. */
    Usage close() throws SQLException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] machineEnd = ProcStat.machine();
        Map<Group, Long> jvm = ThreadCpu.now().since(threads);
        PostgresFootprint.Cpu serverEnd = postgres.cpu(RELAY_BACKENDS);
        long claims = fleet.timer.count(StatementTimer.Kind.CLAIM);
        long jvmProcess = jvm.values().stream().mapToLong(Long::longValue).sum();
        long walBytes = postgres.walBytes() - wal;
        boolean exactEnd = flush(fleet, postgres);
        long tx = postgres.transactions() - transactions;
        double busyMs = Double.NaN;
        double totalMs = Double.NaN;
        if (machine != null && machineEnd != null) {
            totalMs = ProcStat.millis(machineEnd[0] - machine[0]);
            busyMs = totalMs - ProcStat.millis(machineEnd[1] - machine[1]);
        }
        double relayPgMs = serverEnd == null ? Double.NaN : ProcStat.millis(serverEnd.backendsSince(serverCpu));
        double serverMs = serverEnd == null ? Double.NaN : ProcStat.millis(serverEnd.serverSince(serverCpu));
        return new Usage(seconds, tx, exactStart && exactEnd, jvm, jvmProcess / 1e6, relayPgMs, serverMs, busyMs,
                totalMs, claims, walBytes);
    }

    /**
     * What one window cost.
     *
     * @param seconds      length of the window
     * @param transactions transactions committed or rolled back in the benchmark's database, everyone's
     * @param exact        whether the relay backends' statistics were flushed at both ends
     * @param jvmNanos     CPU of this JVM by thread group
     * @param jvmMs        CPU of this JVM, all of it
     * @param relayPgMs    CPU of the relay's PostgreSQL backends (NaN when the server is not local)
     * @param serverMs     CPU of the whole PostgreSQL server (NaN when not local)
     * @param busyMs       the machine's busy CPU time (all cores)
     * @param totalMs      the machine's CPU time, busy or idle (all cores)
     * @param claims       claim statements the relays ran
     * @param walBytes     WAL the server wrote in the window (writers, relay, background: the whole cluster)
     */
    record Usage(double seconds, long transactions, boolean exact, Map<Group, Long> jvmNanos, double jvmMs,
                 double relayPgMs, double serverMs, double busyMs, double totalMs, long claims, long walBytes) {

        /**
         * This usage with {@code nanos} of CPU of threads that ended in the window moved from
         * {@link Group#JVM} (where ended threads land) to {@code group}.
         */
        Usage withEndedThreads(Group group, long nanos) {
            Map<Group, Long> jvm = new java.util.EnumMap<>(jvmNanos);
            jvm.merge(group, nanos, Long::sum);
            jvm.put(Group.JVM, Math.max(0, jvm.get(Group.JVM) - nanos));
            return new Usage(seconds, transactions, exact, jvm, jvmMs, relayPgMs, serverMs, busyMs, totalMs, claims,
                    walBytes);
        }

        /** CPU of the relay's own threads: its threads, its producers' I/O threads and its pools. */
        double relayJvmMs() {
            return (jvmNanos.get(Group.RELAY) + jvmNanos.get(Group.RELAY_PRODUCER) + jvmNanos.get(Group.RELAY_POOL)) / 1e6;
        }

        /** CPU of processes other than this JVM and the PostgreSQL server. */
        double otherProcessesMs() {
            return Math.max(0, busyMs - jvmMs - (Double.isNaN(serverMs) ? 0 : serverMs));
        }

        /** The CPU split, each part in milliseconds {@code per} the given count of events (or per window when 0). */
        String split(long events) {
            double f = events > 0 ? 1000.0 / events : 1;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "cpu ms %s: machine busy %.0f%% of %.0f ms; relay JVM %.0f (", events > 0 ? "per 1k events" : "in window",
                    100 * busyMs / totalMs, totalMs * f, relayJvmMs() * f));
            sb.append(String.format(Locale.ROOT, "%s %.0f, %s %.0f, %s %.0f)", Group.RELAY.label,
                    jvmNanos.get(Group.RELAY) / 1e6 * f, Group.RELAY_PRODUCER.label,
                    jvmNanos.get(Group.RELAY_PRODUCER) / 1e6 * f, Group.RELAY_POOL.label,
                    jvmNanos.get(Group.RELAY_POOL) / 1e6 * f));
            for (Group g : new Group[] {Group.WRITERS, Group.CONSUMER, Group.BROKER_AND_HARNESS, Group.JVM}) {
                sb.append(String.format(Locale.ROOT, ", %s %.0f", g.label, jvmNanos.get(g) / 1e6 * f));
            }
            sb.append(String.format(Locale.ROOT, "; postgres %.0f (relay backends %.0f, the rest: writers' backends,"
                    + " background, harness %.0f); other processes %.0f", serverMs * f, relayPgMs * f,
                    (serverMs - relayPgMs) * f, otherProcessesMs() * f));
            return sb.toString();
        }
    }
}
