package dev.letterbox.debezium.bench;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.KafkaConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import dev.letterbox.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.LoggerFactory;

/**
 * Measures the CDC strategy (Debezium Embedded on PostgreSQL, write mode {@code table}) and prints the
 * figures: commit-to-ack latency at a steady open-loop rate of single-event transactions, and the
 * drain rate of a backlog committed in one transaction.
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-debezium -am test-compile exec:java -Dexec.skip=true -Dcdc.bench.skip=false \
 *   -Dexec.mainClass=dev.letterbox.debezium.bench.CdcBenchmark \
 *   -DOUTBOX_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5499/test?user=postgres' \
 *   -Dexec.args="rate=1000 duration=20s events=200000"
 * </pre>
 *
 * The server needs {@code wal_level=logical} (the embedded server used when
 * {@code OUTBOX_TEST_POSTGRES_URL} is unset has it). Arguments ({@code key=value}, all optional):
 * {@code url}, {@code kafka} (as the relay benchmarks), {@code rates} (1000 events/s),
 * {@code writers} (8), {@code warmup} (5s), {@code duration} (20s), {@code events} (200000 for
 * the drain), {@code partitions} (6), {@code keys} (10000), and any {@code debezium.<key>} (passed to the
 * strategy as in the service YAML, e.g. {@code debezium.poll.interval.ms=10} to compare a setting;
 * the figures in docs/benchmarks.md use none). Latency runs from the writer's
 * {@code commit()} return to the record's arrival at a consumer of the topic (same JVM clock).
 * It creates a fresh database (dropped at exit, with its replication slot) and deletes its topics.
 */
public final class CdcBenchmark {

    private static final OutboxTables TABLES = OutboxTables.ofDefaults();

    private CdcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, was '" + s + "'");
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        if (!a.getOrDefault("url", "").isBlank()) {
            System.setProperty(PostgresServer.URL_ENV, a.get("url"));
        }
        if (!a.getOrDefault("kafka", "").isBlank()) {
            System.setProperty(KafkaServer.BOOTSTRAP_ENV, a.get("kafka"));
        }
        List<Integer> rates = new ArrayList<>();
        for (String r : a.getOrDefault("rates", "1000").split(",")) {
            rates.add(Integer.parseInt(r.strip()));
        }
        int writers = Integer.parseInt(a.getOrDefault("writers", "8"));
        Duration warmup = seconds(a.getOrDefault("warmup", "5s"));
        Duration duration = seconds(a.getOrDefault("duration", "20s"));
        int events = Integer.parseInt(a.getOrDefault("events", "200000"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "6"));
        int keys = Integer.parseInt(a.getOrDefault("keys", "10000"));
        Map<String, String> debezium = new HashMap<>();
        a.forEach((k, v) -> {
            if (k.startsWith("debezium.")) {
                debezium.put(k.substring("debezium.".length()), v);
            }
        });
        quietLogs();
        int code = 0;
        TestDatabase db = PostgresServer.shared().createDatabase("cdc_benchmark");
        KafkaServer kafka = KafkaServer.shared();
        List<String> topics = new ArrayList<>();
        List<byte[]> payloads = payloads();
        try {
            OutboxSchema.of(TABLES).migrate(db.dataSource());
            printSetup(db, kafka, a);
            System.out.println();
            System.out.println("  what                         rate  achieved    p50     p99     max   lost  events/s   load");
            for (int rate : rates) {
                String type = "cdclat" + rate;
                topics.add(kafka.createTopic("outbox.event." + type, partitions));
                latency(db, kafka, debezium, type, rate, writers, keys, warmup, duration, payloads);
            }
            String type = "cdcdrain";
            topics.add(kafka.createTopic("outbox.event." + type, partitions));
            drain(db, kafka, debezium, type, events, keys);
        } catch (Exception e) {
            e.printStackTrace(System.out);
            code = 1;
        } finally {
            try (Admin admin = Admin.create(kafka.adminProps())) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("  (deleting topics failed: " + e.getMessage() + ")");
            }
            try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE database = current_database() AND NOT active");
            } catch (SQLException e) {
                System.out.println("  (dropping the replication slot failed: " + e.getMessage() + ")");
            }
            db.close();
        }
        System.out.flush();
        System.exit(code); // the in-process broker's threads are not daemons
    }

    /** Relay and Debezium INFO logs would bury the table: keep warnings (Logback, when it is the backend). */
    private static void quietLogs() {
        Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            Class<?> level = Class.forName("ch.qos.logback.classic.Level");
            root.getClass().getMethod("setLevel", level).invoke(root, level.getField("WARN").get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another backend: its own configuration decides
        }
    }

    private static Relay startRelay(TestDatabase db, KafkaServer kafka, Map<String, String> debezium, String name)
            throws SQLException {
        Map<String, String> props = new HashMap<>(debezium);
        props.put("letterbox.write-mode", "table");
        if (!db.password().isEmpty()) {
            props.put("database.password", db.password());
        }
        // the previous relay's walsender can hold the slot for a while after that relay closed; a relay
        // started then retries the slot after 10 s, and the phase would measure that wait (seen in the drain)
        long released = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(db, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND active") > 0) {
            if (System.nanoTime() > released) {
                throw new IllegalStateException("the replication slot is still held by a previous relay after 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        Relay relay = Relay.builder().config(RelayConfig.builder().instanceId(name).strategy("cdc")
                        .kafka(KafkaConfig.of(kafka.bootstrapServers()))
                        .cleanup(CleanupConfig.builder().enabled(false).build()).strategyProperties(props).build())
                .dataSource(db.dataSource()).build();
        relay.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(db, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND active") == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the CDC engine did not start reading the slot within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return relay;
    }

    private static void latency(TestDatabase db, KafkaServer kafka, Map<String, String> debezium, String type, int rate, int writers, int keys,
                                Duration warmup, Duration duration, List<byte[]> payloads) throws Exception {
        Map<UUID, Long> commits = new ConcurrentHashMap<>();
        try (Relay relay = startRelay(db, kafka, debezium, "cdc-lat-" + rate); TopicReader reader = new TopicReader(kafka, "outbox.event." + type)) {
            Outbox outbox = Outbox.builder().tables(TABLES).build();
            long interval = 1_000_000_000L / rate;
            long t0 = System.nanoTime() + 50_000_000L;
            long measureFrom = t0 + warmup.toNanos();
            long end = measureFrom + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < writers; w++) {
                int index = w;
                Thread t = new Thread(() -> {
                    try (Connection c = db.openConnection()) {
                        c.setAutoCommit(false);
                        for (long k = index; ; k += writers) {
                            long due = t0 + k * interval;
                            if (due >= end) {
                                return;
                            }
                            long now = System.nanoTime();
                            if (due > now) {
                                LockSupport.parkNanos(due - now);
                            }
                            OutboxEvent e = OutboxEvent.builder().aggregateType(type).aggregateId("order-" + (k % keys))
                                    .eventType("OrderPlaced").payload(payloads.get((int) (k % payloads.size())))
                                    .header("tenant", "acme").build();
                            outbox.append(c, e);
                            c.commit();
                            if (due >= measureFrom) {
                                commits.put(e.id(), System.nanoTime());
                            }
                        }
                    } catch (SQLException | RuntimeException ex) {
                        failures.add(ex);
                    }
                }, "bench-writer-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a writer failed: " + failures.get(0), failures.get(0));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reader.received().keySet().containsAll(commits.keySet()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long[] lat = new long[commits.size()];
            int i = 0;
            for (Map.Entry<UUID, Long> e : commits.entrySet()) {
                Long got = reader.received().get(e.getKey());
                if (got != null) {
                    lat[i++] = got - e.getValue();
                }
            }
            int lost = commits.size() - i;
            lat = Arrays.copyOf(lat, i);
            Arrays.sort(lat);
            System.out.printf(Locale.ROOT, "  %-26s %6d %9.0f %6.1f  %6.1f  %6.1f  %5d  %8s   %s%n", "latency, open loop", rate,
                    commits.size() / (duration.toNanos() / 1e9), ms(pct(lat, 50)), ms(pct(lat, 99)),
                    ms(lat.length == 0 ? 0 : lat[lat.length - 1]), lost, "-", load());
        }
    }

    private static void drain(TestDatabase db, KafkaServer kafka, Map<String, String> debezium, String type, int events,
                              int keys) throws Exception {
        try (Relay relay = startRelay(db, kafka, debezium, "cdc-drain"); TopicReader reader = new TopicReader(kafka, "outbox.event." + type)) {
            long start = System.nanoTime();
            try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + TABLES.eventTable() + " (aggregatetype, aggregateid, type, payload, headers)"
                        + " SELECT '" + type + "', 'order-' || (g % " + keys + "), 'OrderPlaced',"
                        + " convert_to(rpad('{\"n\":' || g || ',\"blob\":\"' || md5(g::text), 1022, md5(g::text || 'x')) || '\"}',"
                        + " 'UTF8'), '{\"tenant\":\"acme\"}'::jsonb FROM generate_series(1, " + events + ") g");
            }
            long committed = System.nanoTime();
            long deadline = committed + TimeUnit.SECONDS.toNanos(Math.max(120, events / 200));
            while (reader.received().size() < events && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            long last = reader.received().values().stream().mapToLong(Long::longValue).max().orElse(committed);
            double seconds = (last - committed) / 1e9;
            System.out.printf(Locale.ROOT, "  %-26s %6s %9s %6s  %6s  %6s  %5d  %8.0f   %s   (%d events committed in one"
                            + " transaction, insert %.1f s; clock: commit -> last record at the consumer)%n",
                    "drain", "-", "-", "-", "-", "-", events - reader.received().size(), reader.received().size() / seconds,
                    load(), events, (committed - start) / 1e9);
        }
    }

    private static void printSetup(TestDatabase db, KafkaServer kafka, Map<String, String> args) throws SQLException {
        System.out.printf(Locale.ROOT, "CdcBenchmark, %s%n  arguments : %s%n", Instant.now(), args);
        System.out.printf(Locale.ROOT, "  machine   : %d CPUs, load %s; JVM %s %s%n", Runtime.getRuntime().availableProcessors(),
                load(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
        try (Connection c = db.openConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version(), current_setting('wal_level'), current_setting('fsync'),"
                     + " current_setting('synchronous_commit'), current_setting('autovacuum')")) {
            rs.next();
            System.out.printf(Locale.ROOT, "  database  : %s (%s); wal_level=%s fsync=%s synchronous_commit=%s autovacuum=%s%n",
                    rs.getString(1).split(" on ")[0], PostgresServer.shared().source(), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getString(5));
        }
        System.out.printf(Locale.ROOT, "  broker    : %s, kafka-clients %s%n", kafka.source(), AppInfoParser.getVersion());
        System.out.printf(Locale.ROOT, "  jvm       : max heap %d MB, GC %s, flags %s%n", Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).toList(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("  relay     : strategy cdc (Debezium Embedded, pgoutput), write mode table, default settings"
                + " unless debezium.* arguments are given;"
                + " 1 KB events (random hex in JSON), 4 headers");
    }

    private static List<byte[]> payloads() {
        Random random = new Random(42);
        List<byte[]> out = new ArrayList<>();
        for (int n = 0; n < 4096; n++) {
            StringBuilder sb = new StringBuilder("{\"orderId\":\"o-" + n + "\",\"blob\":\"");
            while (sb.length() < 1022) {
                sb.append(Character.forDigit(random.nextInt(16), 16));
            }
            out.add(sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Duration seconds(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                : Duration.ofMillis((long) (Double.parseDouble(v.replace("s", "")) * 1000));
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
