package dev.letterbox.relay.bench;

import dev.letterbox.relay.PollingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the polling relay spends per event at a steady rate (issue 13): for each rate, instance
 * count and {@code relay.polling.mode}, commit-to-consumer latency, claims per second, the relay's
 * database transactions per event and the CPU of the relay's threads and of its PostgreSQL
 * backends per 1,000 events; then an idle phase per instance count and mode (transactions per
 * second, CPU per hour) followed by single events after idle pauses (first-event latency).
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-relay -am test-compile exec:java -Dexec.skip=true -Drelay.bench.skip=false \
 *   -Dexec.mainClass=dev.letterbox.relay.bench.SteadyRateBenchmark \
 *   -Dexec.args="url=jdbc:postgresql://127.0.0.1:5487/postgres?user=postgres rates=100,500,1000 instances=1,3 modes=mark,log"
 * </pre>
 *
 * Arguments ({@code key=value}, all optional): {@code url}, {@code kafka} (as in
 * {@link DrainBenchmark}), {@code rates} (100,500,1000 events/s), {@code instances} (1,3),
 * {@code modes} (mark: values of {@code relay.polling.mode}; a mode this build does not know is
 * skipped with the reason, and {@code mark} then runs the only claim path there is), {@code rounds}
 * (1: how many times each rate runs; the modes alternate run by run), {@code writers} (0: max(4,
 * rate/200) threads, one connection each), {@code warmup} (5s) and {@code duration} (20s) per run,
 * {@code warmupRun} (true) and {@code warmupRunLength} (60s: one unreported run first, for the JIT),
 * {@code idle} (60s: the idle phase; 0 skips it), {@code probes} (10: single events one second apart
 * after the idle phase), {@code partitions} (6), {@code keys} (10000),
 * {@code batch} (500), {@code workers} (2), {@code backoffs} (empty: the relay's defaults; else
 * min-max such as 1ms-100ms), {@code notify} (empty: off; else the writers' {@code Outbox} wakes the
 * relay at most once per that duration, {@code Outbox.Builder#notifyRelay}; pair it with a mode
 * such as {@code log+listen-notify=true}). It creates a fresh database and drops it at exit, and deletes its topics.
 *
 * <p>Relay-side transactions are counted by PostgreSQL, not by the relay: the delta of
 * {@code xact_commit + xact_rollback} of the benchmark's database in {@code pg_stat_database},
 * minus the writers' transactions (one per event, checked by a calibration run without a relay at
 * start); the harness's own queries run on a connection to another database. PostgreSQL CPU is read
 * from {@code /proc/<pid>/stat} of the backends whose {@code application_name} is the relay's (the
 * server must run on this machine). The relay's JVM CPU is the sum of its threads' CPU
 * ({@link ThreadCpu.Group}).
 */
public final class SteadyRateBenchmark {

    private static final List<String> DETAILS = new ArrayList<>();

    private SteadyRateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        String url = a.string("url", "");
        String kafka = a.string("kafka", "");
        List<Integer> rates = a.integers("rates", "100,500,1000");
        List<Integer> instances = a.integers("instances", "1,3");
        List<String> modes = a.list("modes", PollingModes.LEGACY);
        int rounds = a.integer("rounds", 1);
        Settings s = new Settings(a.integer("writers", 0), a.duration("warmup", "5s"), a.duration("duration", "20s"),
                a.integer("partitions", 6), a.integer("keys", 10_000),
                a.string("notify", "").isBlank() ? null : BenchArgs.parseDuration(a.string("notify", "")));
        boolean warmupRun = a.bool("warmupRun", true);
        Duration warmupRunLength = a.duration("warmupRunLength", "60s");
        Duration idle = a.duration("idle", "60s");
        int probes = a.integer("probes", 10);
        PollingConfig.Builder pb = PollingConfig.builder().batchSize(a.integer("batch", 500))
                .workers(a.integer("workers", 2));
        String backoffs = a.string("backoffs", "");
        if (!backoffs.isBlank()) {
            String[] mm = backoffs.split("-");
            pb.idleBackoffMin(BenchArgs.parseDuration(mm[0])).idleBackoffMax(BenchArgs.parseDuration(mm[1]));
        }
        PollingConfig base = pb.build();
        String summary = a.checkedSummary();
        int code = 0;
        try (BenchEnv env = BenchEnv.open("steady_rate_benchmark", url, kafka, 1024);
             PostgresFootprint postgres = PostgresFootprint.open(env)) {
            env.printSetup("SteadyRateBenchmark", summary);
            printMethod(s, postgres);
            double overhead = SteadyRuns.calibrate(env, postgres);
            List<PollingModes.Choice> choices = new ArrayList<>();
            for (String mode : modes) {
                PollingModes.Choice c = PollingModes.of(mode, base);
                System.out.printf(Locale.ROOT, "  mode %-5s: %s%n", mode, c.note());
                if (c.runnable()) {
                    choices.add(c);
                }
            }
            if (choices.isEmpty()) {
                throw new IllegalArgumentException("no mode of modes=" + modes + " can run on this build");
            }
            SteadyRuns runs = new SteadyRuns(env, postgres, s, overhead, DETAILS);
            if (warmupRun) {
                System.out.printf(Locale.ROOT, "  (warm-up run of %s at %d/s, not reported)%n", warmupRunLength,
                        rates.get(rates.size() - 1));
                runs.rate(choices.get(0), 1, rates.get(rates.size() - 1), warmupRunLength, false);
            }
            System.out.println();
            System.out.println("  mode  inst  rate  achieved    p50    p99     max  lost  late  claims/s  relay tx/event"
                    + "  relay JVM ms/1k  relay PG ms/1k  WAL KB/1k  others%  load");
            for (int n : instances) {
                for (int round = 0; round < rounds; round++) {
                    for (int rate : rates) {
                        for (PollingModes.Choice c : choices) {
                            runs.rate(c, n, rate, s.duration(), true);
                        }
                    }
                }
            }
            if (!idle.isZero()) {
                System.out.println();
                System.out.println("  idle phase: " + idle + " without events (per instance: transactions/s, CPU"
                        + " extrapolated to an hour), then " + SteadyRuns.PROBE_PAUSE + " later " + probes
                        + " single events one second apart (latency of the first, and p50/max of all)");
                System.out.println("  mode  inst  tx/s/instance  relay JVM cpu s/h  relay PG cpu s/h  first event ms"
                        + "  probes p50/max ms  others%  load");
                for (int n : instances) {
                    for (PollingModes.Choice c : choices) {
                        runs.idle(c, n, idle, probes);
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        BenchEnv.exit(code, DETAILS);
    }

    private static void printMethod(Settings s, PostgresFootprint postgres) {
        System.out.printf(Locale.ROOT, "  load      : open loop, single-event transactions (Outbox.append + commit),"
                + " %s writer threads/connections, %s warm-up + %s measured per run%n",
                s.writers() > 0 ? Integer.toString(s.writers()) : "max(4, rate/200)", s.warmup(), s.duration());
        System.out.println("  notify    : " + (s.notifyRelay() == null ? "off (the writers never wake the relay)"
                : "the writers' Outbox wakes the relay at most once per " + s.notifyRelay() + " (notifyRelay)"));
        System.out.println("  latency   : writer commit() returned -> record received by a consumer in this JVM,"
                + " measured events only (after the warm-up)");
        System.out.println("  per event : over the whole window (warm-up + measured + drain), per event written;"
                + " the relay's pooled connections are evicted at both ends so PostgreSQL's statistics are flushed");
        System.out.println("  relay tx  : pg_stat_database xact_commit + xact_rollback delta of the benchmark's database"
                + " minus the writers' transactions; the harness queries from another database");
        System.out.println("  relay JVM : CPU of threads outbox-relay-*, kafka-producer-network-thread | outbox-relay-*"
                + " and bench-relay-* (pool housekeeping), from ThreadMXBean");
        System.out.println("  relay PG  : " + (postgres.local()
                ? "CPU of the backends with application_name bench-relay-*, from /proc/<pid>/stat"
                : "unknown: the PostgreSQL server does not run on this machine"));
        System.out.println("  claims/s  : statements reading events to publish (with e.payload: mark mode's claims, log"
                + " mode's reads) through the relay's DataSource, per second of the window");
        System.out.println("  WAL KB/1k : the server's WAL over the window (pg_current_wal_lsn), writers' inserts included,"
                + " per 1,000 events written; the modes' difference is the relay's");
    }

    /**
     * Sizes shared by every run.
     *
     * @param writers    writer threads, 0 for max(4, rate/200)
     * @param warmup     unmeasured load at the start of each run
     * @param duration   measured load per run
     * @param partitions partitions of each run's topic
     * @param keys       distinct aggregate ids
     */
    record Settings(int writers, Duration warmup, Duration duration, int partitions, int keys, Duration notifyRelay) {

        int writersFor(int rate) {
            return writers > 0 ? writers : Math.max(4, rate / 200);
        }
    }
}
