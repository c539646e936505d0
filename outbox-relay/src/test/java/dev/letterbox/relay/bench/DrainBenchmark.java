package dev.letterbox.relay.bench;

import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.RelayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures how fast the polling relay drains a backlog and prints the figures: the real
 * {@link dev.letterbox.relay.Relay} against a bare kafka-clients producer sending the same records,
 * the drain with 1, 2 and 3 relay instances, and the drain of a fixed slice from tables holding
 * 10k, 1M and 10M PENDING rows. Events are 1 KB and written in SQL ({@code generate_series}), not
 * appended one by one.
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-relay -am test-compile exec:java -Dexec.skip=true -Drelay.bench.skip=false \
 *   -Dexec.mainClass=dev.letterbox.relay.bench.DrainBenchmark \
 *   -DOUTBOX_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   -Dexec.args="events=200000 backlogs=10000,1000000,10000000 slice=200000 instances=1,2,3"
 * </pre>
 *
 * Arguments (all {@code key=value}, all optional): {@code url} (JDBC URL of the server; default
 * {@code OUTBOX_TEST_POSTGRES_URL}, else an embedded PostgreSQL), {@code kafka} (bootstrap servers;
 * default {@code OUTBOX_TEST_KAFKA_BOOTSTRAP}, else an in-process broker), {@code events} (200000:
 * events per drain in the relay-vs-bare and instances phases), {@code instances} (1,2,3),
 * {@code backlogs} (10000,1000000,10000000: table sizes for the backlog phase), {@code slice}
 * (200000: events drained from each backlog table, at most its size), {@code batch} (500),
 * {@code workers} (2 poller threads per instance), {@code partitions} (6), {@code keys} (10000
 * aggregates), {@code modes} (mark,log: values of {@code relay.polling.mode}, each optionally with
 * {@code relay.polling} overrides such as {@code log+workers=1+read-interval=5ms}), {@code chunk}
 * (50000 rows per fill statement), {@code repeats} (1), {@code phases}
 * (drain,backlog), {@code warmup} (20000: rows of one discarded drain before the backlog phase, so
 * that the first backlog does not run on a cold JVM; 0 for none), {@code cleanup} (true: the relay's cleanup runs with its defaults, as in
 * production), {@code metrics} (5s: {@code relay.metrics-interval}, how often the backlog gauges
 * are read). It creates a fresh database on the server and drops it at exit, and deletes its topics.
 *
 * <p>Method. Drain phase: the relays start on an empty table and take their shards; then all
 * {@code events} rows are inserted in one transaction and the clock runs from its commit to the
 * moment the last row is marked (read from the relays' {@code outbox.events.published} counters).
 * Backlog phase: the table is filled in {@code chunk}-row transactions with no relay running and no
 * manual VACUUM (only what autovacuum does with the table's own settings), then one relay starts and
 * the clock runs from {@code start()} (and, separately, from its first mark) to the
 * {@code slice}-th mark.
 */
public final class DrainBenchmark {

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        String url = a.string("url", "");
        String kafka = a.string("kafka", "");
        int events = a.integer("events", 200_000);
        List<Integer> instances = a.integers("instances", "1,2,3");
        List<Integer> backlogs = a.integers("backlogs", "10000,1000000,10000000");
        int slice = a.integer("slice", 200_000);
        int batch = a.integer("batch", 500);
        int workers = a.integer("workers", 2);
        int partitions = a.integer("partitions", 6);
        int keys = a.integer("keys", 10_000);
        int chunk = a.integer("chunk", 50_000);
        int repeats = a.integer("repeats", 1);
        List<String> phases = a.list("phases", "drain,backlog");
        boolean cleanup = a.bool("cleanup", true);
        java.time.Duration metrics = a.duration("metrics", "5s");
        List<String> modes = a.list("modes", "mark,log");
        String summary = a.checkedSummary();
        RelayConfig base = RelayConfig.builder()
                .polling(PollingConfig.builder().batchSize(batch).workers(workers).build())
                .cleanup(CleanupConfig.builder().enabled(cleanup).build())
                .metricsInterval(metrics)
                .build();
        int code = 0;
        try (BenchEnv env = BenchEnv.open("drain_benchmark", url, kafka, 1024)) {
            env.printSetup("DrainBenchmark", summary);
            System.out.printf(Locale.ROOT, "  relay     : polling, batch %d, %d workers per instance, lease TTL %s,"
                            + " cleanup %s, metrics interval %s, producer defaults %s%n", batch, workers,
                    base.polling().leaseTtl(), cleanup ? "on" : "off", metrics,
                    dev.letterbox.relay.KafkaConfig.PRODUCER_DEFAULTS);
            Drains drains = new Drains(env, base, partitions, keys, chunk, modes);
            if (phases.contains("drain")) {
                drains.relayVersusBare(events, instances, repeats);
            }
            if (phases.contains("backlog")) {
                drains.backlogs(backlogs, slice, repeats, a.integer("warmup", 20_000));
            }
        } catch (Exception e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.out.flush();
        System.exit(code); // the in-process broker's threads are not daemons
    }

    /** The two phases; one object so both share the run counter and the captured claim statement. */
    private static final class Drains {
        private final BenchEnv env;
        private final RelayConfig base;
        private final int partitions;
        private final int keys;
        private final int chunk;
        private final List<String> modes;
        private int run;
        private String claimSql;

        Drains(BenchEnv env, RelayConfig base, int partitions, int keys, int chunk, List<String> modes) {
            this.modes = modes;
            this.env = env;
            this.base = base;
            this.partitions = partitions;
            this.keys = keys;
            this.chunk = chunk;
        }

        void relayVersusBare(int events, List<Integer> instances, int repeats) throws Exception {
            System.out.printf(Locale.ROOT, "%ndrain of %d events committed in one transaction (clock: commit ->"
                    + " last mark); bare = kafka-clients producer, same records and settings%n", events);
            System.out.println("  run  what              events/s   seconds  vs bare  batches  claim ms  flush ms  mark ms"
                    + "  claim%  flush%  mark%  load");
            for (int r = 1; r <= repeats; r++) {
                String type = "bare" + (++run);
                String topic = env.topic("outbox.event." + type, partitions);
                CpuMeter cpu = CpuMeter.start();
                double bareSeconds = BareProducer.send(env, topic, type, events, keys);
                double bare = events / bareSeconds;
                System.out.printf(Locale.ROOT, "  %3d  %-16s %9.0f %9.2f  %7s  %7s  %8s  %8s  %7s  %6s  %6s  %5s  %s   (%s)%n",
                        r, "bare producer", bare, bareSeconds, "1.00", "-", "-", "-", "-", "-", "-", "-",
                        BenchEnv.loadAverage(), cpu.since(events));
                for (int n : instances) {
                    for (String mode : modes) {
                        drainOnce(r, n, events, bare, mode);
                    }
                }
            }
        }

        private void drainOnce(int repeat, int n, int events, double bare, String mode) throws Exception {
            env.truncate();
            String type = "drain" + (++run);
            env.topic("outbox.event." + type, partitions);
            PollingModes.Choice choice = PollingModes.of(mode, base.polling());
            if (!choice.runnable()) {
                System.out.printf(Locale.ROOT, "  %3d  %-16s %s%n", repeat, mode + " x" + n, choice.note());
                return;
            }
            RelayConfig config = base.toBuilder().polling(choice.polling()).build();
            try (RelayFleet fleet = RelayFleet.start(env, n, "drain" + run, config)) {
                if (!fleet.awaitBalanced(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("shards not balanced after 60 s: " + fleet.shards());
                }
                double insertSeconds = env.fillAtOnce(type, events, keys);
                fleet.timer.reset();
                CpuMeter cpu = CpuMeter.start();
                String walStart = env.walLsn();
                long committed = System.nanoTime();
                long timeout = Math.max(120, events / 500);
                if (!BenchEnv.await(Duration.ofSeconds(timeout), () -> fleet.published() >= events)) {
                    throw new IllegalStateException("drain did not finish in " + timeout + " s: published "
                            + fleet.published() + " of " + events);
                }
                double seconds = (System.nanoTime() - committed) / 1e9;
                double walKbPer1000 = env.walBytesSince(walStart) / 1024.0 / (events / 1000.0);
                claimSql = fleet.timer.claimSql();
                double workerMs = seconds * 1000 * n * config.polling().workers();
                StatementTimer t = fleet.timer;
                System.out.printf(Locale.ROOT, "  %3d  %-16s %9.0f %9.2f  %7.2f  %7d  %8.2f  %8.2f  %7.2f  %5.0f%%"
                                + "  %5.0f%%  %4.0f%%  %s   (%s; insert of the backlog took %.1f s)%n", repeat,
                        mode + " x" + n, events / seconds, seconds, events / seconds / bare, fleet.batches(),
                        t.meanMillis(StatementTimer.Kind.CLAIM), t.meanMillis(StatementTimer.Kind.FLUSH),
                        t.meanMillis(StatementTimer.Kind.MARK), 100 * t.totalMillis(StatementTimer.Kind.CLAIM) / workerMs,
                        100 * t.totalMillis(StatementTimer.Kind.FLUSH) / workerMs,
                        100 * t.totalMillis(StatementTimer.Kind.MARK) / workerMs, BenchEnv.loadAverage(),
                        cpu.since(events), insertSeconds);
                System.out.printf(Locale.ROOT, "       %-16s WAL %.1f KB per 1,000 events during the drain%n", "", walKbPer1000);
            }
        }

        void backlogs(List<Integer> backlogs, int slice, int repeats, int warmup) throws Exception {
            System.out.printf(Locale.ROOT, "%ndrain of the first %d events from a table of N PENDING rows, one relay"
                    + " started after the fill; no manual VACUUM%n", slice);
            if (claimSql == null) {
                try (RelayFleet fleet = RelayFleet.start(env, 1, "probe", base)) {
                    BenchEnv.await(Duration.ofSeconds(30), () -> fleet.timer.claimSql() != null);
                    claimSql = fleet.timer.claimSql();
                }
            }
            if (warmup > 0) {
                // the first drain of a fresh JVM runs cold (JIT, the broker's first segments): discard one
                env.truncate();
                String type = "warmup" + (++run);
                env.topic("outbox.event." + type, partitions);
                env.fill(type, warmup, keys, chunk);
                drainSlice(warmup, new ArrayList<>(), warmup, base);
                System.out.printf(Locale.ROOT, "  (after one discarded drain of %d rows: JIT and broker warm-up)%n", warmup);
            }
            List<String> details = new ArrayList<>();
            System.out.println("  run  mode              backlog      fill ev/s  ev/s(start)  ev/s(1st mark)  seconds  claim ms"
                    + "  flush ms  mark ms  claim%  flush%  mark%  load");
            for (int r = 1; r <= repeats; r++) {
                for (int backlog : backlogs) {
                    for (String mode : modes) {
                        PollingModes.Choice choice = PollingModes.of(mode, base.polling());
                        if (!choice.runnable()) {
                            System.out.printf(Locale.ROOT, "  %3d  %-16s %s%n", r, mode, choice.note());
                            continue;
                        }
                        RelayConfig config = base.toBuilder().polling(choice.polling()).build();
                        int target = Math.min(slice, backlog);
                        env.truncate();
                        String type = "backlog" + (++run);
                        env.topic("outbox.event." + type, partitions);
                        double fillSeconds = env.fill(type, backlog, keys, chunk);
                        details.add(String.format(Locale.ROOT, "backlog %d, after fill : %s", backlog, env.tableState()));
                        details.addAll(explain("backlog " + backlog + ", before drain"));
                        Slice d = drainSlice(target, details, backlog, config);
                        details.add(String.format(Locale.ROOT, "backlog %d, after drain: %s", backlog, env.tableState()));
                        details.addAll(explain("backlog " + backlog + ", after drain"));
                        details.addAll(explainOthers("backlog " + backlog + ", after drain"));
                        double fromStart = (d.end - d.start) / 1e9;
                        double fromFirst = (d.end - d.firstMark) / 1e9;
                        System.out.printf(Locale.ROOT, "  %3d  %-16s %-10d %10.0f  %11.0f  %14.0f  %7.2f  %8.2f  %8.2f  %7.2f"
                                        + "  %5.0f%%  %5.0f%%  %4.0f%%  %s%n", r, mode, backlog, backlog / fillSeconds,
                                target / fromStart, target / fromFirst, fromStart, d.claimMs, d.flushMs, d.markMs,
                                d.claimPct, d.flushPct, d.markPct, BenchEnv.loadAverage());
                    }
                }
            }
            System.out.println();
            details.forEach(d -> System.out.println("  " + d));
        }

        /** One slice drain: start, end and first-mark times (nanos) and the split of the workers' time. */
        private record Slice(long start, long end, long firstMark, double claimMs, double flushMs, double markMs,
                             double claimPct, double flushPct, double markPct) {
        }

        /** Drains {@code target} rows with one relay. */
        private Slice drainSlice(int target, List<String> details, int backlog, RelayConfig config) throws Exception {
            CpuMeter cpu = CpuMeter.start();
            try (RelayFleet fleet = RelayFleet.start(env, 1, "backlog" + run, config)) {
                long start = fleet.startNanos();
                long[] first = {0};
                long timeout = Math.max(300, target / 200);
                boolean done = BenchEnv.await(Duration.ofSeconds(timeout), () -> {
                    long p = fleet.published();
                    if (p > 0 && first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    return p >= target;
                });
                long end = System.nanoTime();
                if (!done) {
                    throw new IllegalStateException("slice not drained in " + timeout + " s: published "
                            + fleet.published() + " of " + target);
                }
                claimSql = fleet.timer.claimSql();
                StatementTimer t = fleet.timer;
                double workerMs = (end - start) / 1e6 * config.polling().workers();
                details.add(String.format(Locale.ROOT, "backlog %d, relay statements: %s", backlog, t.summary()));
                details.add(String.format(Locale.ROOT, "backlog %d, during the drain: %s", backlog, cpu.since(target)));
                return new Slice(start, end, first[0], t.meanMillis(StatementTimer.Kind.CLAIM),
                        t.meanMillis(StatementTimer.Kind.FLUSH), t.meanMillis(StatementTimer.Kind.MARK),
                        100 * t.totalMillis(StatementTimer.Kind.CLAIM) / workerMs,
                        100 * t.totalMillis(StatementTimer.Kind.FLUSH) / workerMs,
                        100 * t.totalMillis(StatementTimer.Kind.MARK) / workerMs);
            }
        }

        /** EXPLAIN (ANALYZE, BUFFERS) of the backlog gauge and of the cleanup's row search (7-day retention). */
        private List<String> explainOthers(String label) throws Exception {
            List<String> out = new ArrayList<>();
            String t = BenchEnv.TABLES.eventTable();
            for (String sql : List.of("SELECT count(*) FROM \"" + t + "\" WHERE status = 'PENDING'",
                    "SELECT ctid FROM \"" + t + "\" WHERE status = 'PUBLISHED' AND published_at < (now() - 604800000"
                            + " * interval '1 millisecond') LIMIT 1000")) {
                out.add(label + ", EXPLAIN (ANALYZE, BUFFERS) " + sql + ":");
                for (String line : env.rows("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    out.add("    " + line);
                }
            }
            return out;
        }

        /** EXPLAIN (ANALYZE, BUFFERS) of the relay's own claim statement for worker 0's 32 shards. */
        private List<String> explain(String label) throws Exception {
            List<String> out = new ArrayList<>();
            if (claimSql == null || claimSql.contains("pg_snapshot")) {
                // no claim to explain: none captured, or the last one was log mode's read (its parameters are
                // arrays of cursors, not a shard list and a limit)
                return out;
            }
            StringBuilder shards = new StringBuilder("'{");
            for (int s = 0; s < 64; s += base.polling().workers()) {
                shards.append(s == 0 ? "" : ",").append(s);
            }
            // without the rows-in-flight exclusion of a claim made ahead (a filter on the same index scan)
            String sql = claimSql.replace(" AND NOT (e.seq = ANY(?::int8[]))", "")
                    .replaceFirst("\\?", shards.append("}'").toString())
                    .replaceFirst("\\?", Integer.toString(base.polling().batchSize()));
            out.add(label + ", EXPLAIN (ANALYZE, BUFFERS) of the claim, with the relay's enable_sort and enable_bitmapscan off:");
            for (String line : env.rows("EXPLAIN (ANALYZE, BUFFERS) " + sql, "enable_sort = off", "enable_bitmapscan = off")) {
                out.add("    " + line);
            }
            return out;
        }
    }
}
