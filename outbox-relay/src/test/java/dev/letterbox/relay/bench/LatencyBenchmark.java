package dev.letterbox.relay.bench;

import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.testsupport.TopicReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Measures commit-to-ack latency of the polling relay under a steady open-loop load of
 * single-event transactions and prints p50/p99/max per setting: rates, relay instances, idle
 * backoffs and {@code listen-notify}, so the defaults can be chosen by measurement.
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-relay -am test-compile exec:java -Dexec.skip=true -Drelay.bench.skip=false \
 *   -Dexec.mainClass=dev.letterbox.relay.bench.LatencyBenchmark \
 *   -DOUTBOX_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   -Dexec.args="rates=1000,5000 instances=1,2,3 backoffs=5ms-500ms,1ms-100ms,1ms-20ms listen=false"
 * </pre>
 *
 * Arguments ({@code key=value}, all optional): {@code url}, {@code kafka} (as in
 * {@link DrainBenchmark}), {@code rates} (1000,5000 events/s), {@code instances} (1,2,3),
 * {@code backoffs} (idle backoff min-max pairs; 5ms-500ms,1ms-100ms,1ms-20ms), {@code listen}
 * (false; a list such as false,true sets {@code relay.polling.listen-notify}), {@code notify}
 * (false: whether each writer transaction also runs {@code NOTIFY "outbox_event"}; set it with
 * listen=true, the relay does not send notifications itself), {@code writers} (0: max(8, rate/200)
 * threads, one connection each), {@code warmup} (5s), {@code duration} (20s measured),
 * {@code warmupRun} (true: one unreported run first, for JIT and broker warm-up), {@code warmupRunLength}
 * (90s: how long that run loads the relay), {@code partitions}
 * (6), {@code keys} (10000), {@code batch} (500), {@code workers} (2). It creates a fresh database
 * and drops it at exit, and deletes its topics.
 *
 * <p>Latency is measured from the moment the writer's {@code commit()} returned to the moment a
 * consumer of the topic (same JVM, same {@link System#nanoTime()} clock) received the record, so it
 * includes the relay's poll wait, claim, send, broker ack and the consumer's fetch. The relay's own
 * {@code outbox.commit.to.ack} timer ({@code created_at} to producer ack, database clock to JVM
 * clock) is printed next to it.
 */
public final class LatencyBenchmark {

    /** Per-run statement timings, printed after the table. */
    private static final List<String> DETAILS = new java.util.ArrayList<>();

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        String url = a.string("url", "");
        String kafka = a.string("kafka", "");
        List<Integer> rates = a.integers("rates", "1000,5000");
        List<Integer> instances = a.integers("instances", "1,2,3");
        List<String> backoffs = a.list("backoffs", "5ms-500ms,1ms-100ms,1ms-20ms");
        List<String> listens = a.list("listen", "false");
        boolean notify = a.bool("notify", false);
        int writers = a.integer("writers", 0);
        boolean warmupRun = a.bool("warmupRun", true);
        Duration warmupRunLength = a.duration("warmupRunLength", "90s");
        Duration warmup = a.duration("warmup", "5s");
        Duration duration = a.duration("duration", "20s");
        int partitions = a.integer("partitions", 6);
        int keys = a.integer("keys", 10_000);
        int batch = a.integer("batch", 500);
        int workers = a.integer("workers", 2);
        String summary = a.checkedSummary();
        int code = 0;
        try (BenchEnv env = BenchEnv.open("latency_benchmark", url, kafka, 1024)) {
            env.printSetup("LatencyBenchmark", summary);
            System.out.printf(Locale.ROOT, "  load      : open loop, single-event transactions (Outbox.append + commit),"
                    + " %s writer threads/connections, %s warm-up + %s measured per row; late = measured transactions"
                    + " that started > 5 ms after they were due%n",
                    writers > 0 ? Integer.toString(writers) : "max(8, rate/200)", warmup, duration);
            System.out.printf(Locale.ROOT, "  latency   : writer commit() returned -> record received by a consumer"
                    + " (ms); relay timer = created_at -> producer ack%n");
            System.out.println();
            System.out.println("  backoff      listen notify inst  rate  achieved   p50    p99    max  lost  late"
                    + "  commit p50/p99  claims/s  batch  relay timer mean/max     load");
            int run = 0;
            if (warmupRun) {
                // The first run of a JVM pays for JIT compilation and the broker's first topics: run one, discard it.
                // It lasts 90 s: C2 compiled for about 100 s after the JVM started (42 s of CPU in the first 100 s,
                // 2.3 s in the next 20 s; jstack cpu= of "C2 CompilerThread0"), and with a 25 s warm-up run the
                // measured rows competed with it for the two cores.
                RelayConfig first = RelayConfig.builder().polling(PollingConfig.builder().batchSize(batch).workers(workers)
                        .build()).build();
                System.out.printf(Locale.ROOT, "  (warm-up run of %s, not reported)%n", warmupRunLength);
                oneRun(env, ++run, "warm-up", "false", notify, 1, rates.get(0), first, writersFor(writers, rates.get(0)),
                        keys, partitions, warmup, warmupRunLength, false);
            }
            for (String backoff : backoffs) {
                String[] mm = backoff.split("-");
                for (String listen : listens) {
                    for (int n : instances) {
                        for (int rate : rates) {
                            PollingConfig polling = PollingConfig.builder().batchSize(batch).workers(workers)
                                    .idleBackoffMin(BenchArgs.parseDuration(mm[0]))
                                    .idleBackoffMax(BenchArgs.parseDuration(mm[1]))
                                    .listenNotify(Boolean.parseBoolean(listen)).build();
                            RelayConfig config = RelayConfig.builder().polling(polling).build();
                            oneRun(env, ++run, backoff, listen, notify, n, rate, config, writersFor(writers, rate), keys,
                                    partitions, warmup, duration, true);
                        }
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        BenchEnv.exit(code, DETAILS);
    }

    /** The writer threads for a rate: as given, or (0) enough that each has about 5 ms per transaction. */
    private static int writersFor(int writers, int rate) {
        return writers > 0 ? writers : Math.max(8, rate / 200);
    }

    private static void oneRun(BenchEnv env, int run, String backoff, String listen, boolean notify, int n, int rate,
                               RelayConfig config, int writers, int keys, int partitions, Duration warmup,
                               Duration duration, boolean report) throws Exception {
        env.truncate();
        String type = "lat" + run;
        String topic = env.topic("outbox.event." + type, partitions);
        OpenLoopWriters load = new OpenLoopWriters(env);
        try (RelayFleet fleet = RelayFleet.start(env, n, "lat" + run, config);
             TopicReader reader = new TopicReader(env.kafka, topic)) {
            if (!fleet.awaitBalanced(Duration.ofSeconds(60))) {
                throw new IllegalStateException("shards not balanced after 60 s: " + fleet.shards());
            }
            fleet.timer.reset();
            long claimsFrom = System.nanoTime();
            CpuMeter cpu = CpuMeter.start();
            load.run(type, rate, writers, keys, warmup.toNanos(), duration.toNanos(), notify);
            double claimsPerSecond = fleet.timer.count(StatementTimer.Kind.CLAIM) / ((System.nanoTime() - claimsFrom) / 1e9);
            String cpuUse = cpu.since(load.commits().size());
            Map<UUID, Long> commits = load.commits();
            BenchEnv.await(Duration.ofSeconds(30), () -> reader.received().keySet().containsAll(commits.keySet()));
            Latencies latencies = Latencies.of(commits, reader.received());
            long[] lat = latencies.sorted();
            int lost = latencies.lost();
            long[] commit = load.commitLatencies();
            Arrays.sort(commit);
            double batchMean = fleet.published() / (double) Math.max(1, fleet.batches());
            if (!report) {
                return;
            }
            System.out.printf(Locale.ROOT, "  %-12s %-6s %-6s %4d %5d %9.0f %5.1f %6.1f %6.1f %5d %5d  %6.2f/%-7.2f %8.0f %6.1f"
                            + "  %-24s %s%n", backoff, listen, notify, n, rate, load.achievedRate(),
                    ms(pct(lat, 50)), ms(pct(lat, 99)), ms(lat.length == 0 ? 0 : lat[lat.length - 1]), lost, load.late(),
                    ms(pct(commit, 50)), ms(pct(commit, 99)), claimsPerSecond, batchMean,
                    fleet.relayCommitToAck(), BenchEnv.loadAverage());
            DETAILS.add(String.format(Locale.ROOT, "run %d (%s, listen %s, %d instance(s), %d/s): %s; %s", run, backoff,
                    listen, n, rate, fleet.timer.summary(), cpuUse));
        }
    }

    static long pct(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
