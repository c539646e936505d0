package dev.letterbox.relay.bench;

import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.bench.SteadyRateBenchmark.Settings;
import dev.letterbox.testsupport.TopicReader;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The runs of {@link SteadyRateBenchmark}: a steady-rate run and an idle phase, each on a fresh
 * fleet of relays and a fresh topic, printing one table row as it ends and adding its CPU split to
 * the details. Not thread-safe.
 */
final class SteadyRuns {

    /** Quiet time between the end of the idle window and the first probe event. */
    static final Duration PROBE_PAUSE = Duration.ofSeconds(3);

    private final BenchEnv env;
    private final PostgresFootprint postgres;
    private final Settings settings;
    private final double writerConnectionOverhead;
    private final List<String> details;
    private int run;

    SteadyRuns(BenchEnv env, PostgresFootprint postgres, Settings settings, double writerConnectionOverhead,
               List<String> details) {
        this.env = env;
        this.postgres = postgres;
        this.settings = settings;
        this.writerConnectionOverhead = writerConnectionOverhead;
        this.details = details;
    }

    /**
     * Writes a few seconds of transactions without a relay and returns how many transactions beyond
     * its commits each writer connection adds to {@code pg_stat_database} (0 expected), so the writers'
     * share of the counter is known.
     */
    static double calibrate(BenchEnv env, PostgresFootprint postgres) throws SQLException, InterruptedException {
        // The test database's own pool (schema migration) holds statistics until its idle connections retire.
        boolean quiet = postgres.awaitGone(postgres.backends("PostgreSQL JDBC").keySet(), Duration.ofSeconds(60));
        int writers = 4;
        long before = postgres.transactions();
        OpenLoopWriters load = new OpenLoopWriters(env);
        load.run("calibration", 200, writers, 100, 0, Duration.ofSeconds(2).toNanos(), false);
        postgres.awaitGone(postgres.backends("bench-writer").keySet(), Duration.ofSeconds(30));
        long delta = postgres.transactions() - before;
        double overhead = (delta - load.written()) / (double) writers;
        System.out.printf(Locale.ROOT, "  calibration: %d writer connections committed %d transactions without a relay;"
                        + " pg_stat_database counted %d (%.1f extra per writer connection%s)%n", writers, load.written(),
                delta, overhead, quiet ? "" : "; other connections were still open, so this may be off");
        env.truncate();
        return overhead;
    }

    /** One steady-rate run; {@code report} false runs it without printing (warm-up). */
    void rate(PollingModes.Choice mode, int n, int rate, Duration duration, boolean report) throws Exception {
        run++;
        fresh();
        String type = "steady" + run;
        String topic = env.topic("outbox.event." + type, settings.partitions());
        int writers = settings.writersFor(rate);
        OpenLoopWriters load = new OpenLoopWriters(env, settings.notifyRelay());
        RelayConfig config = RelayConfig.builder().polling(mode.polling()).build();
        try (RelayFleet fleet = RelayFleet.start(env, n, type, config);
             TopicReader reader = new TopicReader(env.kafka, topic)) {
            awaitBalanced(fleet);
            SteadyWindow window = SteadyWindow.open(fleet, postgres);
            load.run(type, rate, writers, settings.keys(), settings.warmup().toNanos(), duration.toNanos(), false);
            Map<UUID, Long> commits = load.commits();
            BenchEnv.await(Duration.ofSeconds(30), () -> reader.received().keySet().containsAll(commits.keySet()));
            SteadyWindow.Usage u = window.close().withEndedThreads(ThreadCpu.Group.WRITERS, load.cpuNanos());
            if (!report) {
                return;
            }
            Latencies lat = Latencies.of(commits, reader.received());
            if (lat.lost() > 0) {
                details.add("run " + run + ": " + lat.lost() + " event(s) not received 30 s after the load; "
                        + lostEvents(commits.keySet(), reader.received().keySet()));
            }
            long events = load.written();
            double writerTx = events + writerConnectionOverhead * writers;
            double relayTx = u.transactions() - writerTx;
            System.out.printf(Locale.ROOT, "  %-5s %4d %5d %9.0f %6.1f %6.1f %7.1f %5d %5d %9.0f %15.2f %16.0f %15.0f %11.0f %7.0f%%  %s%n",
                    mode.mode(), n, rate, load.achievedRate(), lat.percentileMillis(50), lat.percentileMillis(99),
                    lat.maxMillis(), lat.lost(), load.late(), u.claims() / u.seconds(), relayTx / events,
                    u.relayJvmMs() * 1000 / events, u.relayPgMs() * 1000 / events, u.walBytes() / 1024.0 * 1000 / events,
                    100 * u.otherProcessesMs() / u.totalMs(), BenchEnv.loadAverage());
            long[] commitNanos = load.commitLatencies();
            java.util.Arrays.sort(commitNanos);
            String writerCommits = commitNanos.length == 0 ? "no writer commits measured" : String.format(Locale.ROOT,
                    "writer append+commit p50/p99 %.1f/%.1f ms", commitNanos[commitNanos.length / 2] / 1e6,
                    commitNanos[(int) Math.min(commitNanos.length - 1, Math.round(commitNanos.length * 0.99))] / 1e6);
            details.add(String.format(Locale.ROOT, "run %d (%s, %d instance(s), %d/s, %d writers): window %.1f s, %d events,"
                            + " %d transactions in the database (writers' %.0f, relay %.0f), %s%s; %s; %s", run, mode.mode(), n,
                    rate, writers, u.seconds(), events, u.transactions(), writerTx, relayTx, writerCommits,
                    u.exact() ? "" : " (relay statistics not flushed at an end: approximate)", fleet.timer.summary(),
                    u.split(events)));
        }
    }

    /**
     * The idle phase: {@code idle} without events on a balanced fleet (transactions per second and
     * CPU per hour per instance), then, after {@link #PROBE_PAUSE}, {@code probes} single events
     * one second apart.
     */
    void idle(PollingModes.Choice mode, int n, Duration idle, int probes) throws Exception {
        run++;
        fresh();
        String type = "idle" + run;
        String topic = env.topic("outbox.event." + type, settings.partitions());
        RelayConfig config = RelayConfig.builder().polling(mode.polling()).build();
        try (RelayFleet fleet = RelayFleet.start(env, n, type, config);
             TopicReader reader = new TopicReader(env.kafka, topic)) {
            awaitBalanced(fleet);
            // a relay that goes quiet has published before: one event first, so that the first probe does not
            // also pay the producer's first metadata request for a new topic (about 30 ms here)
            publishOne(type, reader);
            SteadyWindow window = SteadyWindow.open(fleet, postgres);
            boolean statementStats = postgres.resetStatementStats();
            Thread.sleep(idle.toMillis()); // the idle phase is the measurement: nothing to wait for
            String top = statementStats ? postgres.topStatements(15) : ""; // before close() flushes the backends
            SteadyWindow.Usage u = window.close();
            String statements = fleet.timer.summary() // the idle window's, before the probes add theirs
                    + (statementStats ? "; the database's statements by calls (pg_stat_statements):" + top : "");
            // The eviction above gave the relays fresh connections, whose first statements plan and fill the new
            // backends' caches (about 20 ms here); a relay idle for minutes keeps its connections. One event warms
            // them, then the relays are idle again for a while before the first probe.
            publishOne(type, reader);
            OpenLoopWriters load = new OpenLoopWriters(env, settings.notifyRelay());
            Thread.sleep(PROBE_PAUSE.toMillis());
            load.run(type, 1, 1, settings.keys(), 0, Duration.ofSeconds(probes).toNanos(), false);
            Map<UUID, Long> commits = load.commits();
            BenchEnv.await(Duration.ofSeconds(30), () -> reader.received().keySet().containsAll(commits.keySet()));
            Latencies lat = Latencies.of(commits, reader.received());
            UUID first = commits.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(null);
            Long firstAt = first == null ? null : reader.received().get(first);
            double perHour = 3600 / u.seconds() / n;
            System.out.printf(Locale.ROOT, "  %-5s %4d %14.1f %17.1f %17.1f %15s %18s %7.0f%%  %s%n", mode.mode(), n,
                    u.transactions() / u.seconds() / n, u.relayJvmMs() / 1000 * perHour, u.relayPgMs() / 1000 * perHour,
                    firstAt == null ? "lost" : String.format(Locale.ROOT, "%.1f", (firstAt - commits.get(first)) / 1e6),
                    String.format(Locale.ROOT, "%.1f/%.1f (%d)", lat.percentileMillis(50), lat.maxMillis(),
                            lat.sorted().length), 100 * u.otherProcessesMs() / u.totalMs(), BenchEnv.loadAverage());
            details.add(String.format(Locale.ROOT, "idle run %d (%s, %d instance(s)): window %.1f s, %d transactions%s; %s; %s",
                    run, mode.mode(), n, u.seconds(), u.transactions(),
                    u.exact() ? "" : " (relay statistics not flushed at an end: approximate)", statements, u.split(0)));
        }
    }

    /** Writes one event and waits until the consumer has it. */
    private void publishOne(String type, TopicReader reader) throws Exception {
        OpenLoopWriters one = new OpenLoopWriters(env, settings.notifyRelay());
        one.run(type, 1, 1, settings.keys(), 0, Duration.ofMillis(500).toNanos(), false);
        BenchEnv.await(Duration.ofSeconds(30), () -> !one.commits().isEmpty()
                && reader.received().keySet().containsAll(one.commits().keySet()));
    }

    /** The database's view of up to five events the consumer never received: row and its shard's lease. */
    private String lostEvents(java.util.Set<UUID> committed, java.util.Set<UUID> received) {
        String ids = committed.stream().filter(id -> !received.contains(id)).limit(5).map(id -> "'" + id + "'")
                .collect(java.util.stream.Collectors.joining(","));
        try {
            return String.join("; ", env.rows("SELECT e.seq, e.shard, e.status, e.attempts,"
                    + " to_char(e.created_at, 'HH24:MI:SS.MS') AS created, l.owner, l.position, l.epoch"
                    + " FROM " + BenchEnv.TABLES.eventTable() + " e LEFT JOIN " + BenchEnv.TABLES.leaseTable()
                    + " l ON l.name = 'shard-' || e.shard WHERE e.id IN (" + ids + ") ORDER BY e.seq"));
        } catch (SQLException e) {
            return "their rows could not be read: " + e.getMessage();
        }
    }

    /**
     * Empties the event and lease tables, so that each run starts like a first deployment: with the
     * modes alternating, no run inherits the previous fleet's leases, membership or positions.
     */
    private void fresh() throws SQLException {
        env.truncate();
        env.execute("TRUNCATE " + BenchEnv.TABLES.leaseTable());
    }

    private static void awaitBalanced(RelayFleet fleet) {
        if (!fleet.awaitBalanced(Duration.ofSeconds(60))) {
            throw new IllegalStateException("shards not balanced after 60 s: " + fleet.shards());
        }
    }
}
