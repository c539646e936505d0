package dev.letterbox.relay.bench;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.LoggerFactory;

/**
 * What every relay benchmark runs on: a fresh database on the PostgreSQL server (dropped at exit),
 * the Kafka cluster, a table of 1 KB payloads and a fast bulk fill of the outbox in SQL; prints the
 * setup. Closes what it created (database, topics). Not thread-safe.
 */
final class BenchEnv implements AutoCloseable {

    /** Distinct payloads; events cycle through them so Kafka's compression sees realistic, not repeated, values. */
    static final int PAYLOADS = 4096;
    static final OutboxTables TABLES = OutboxTables.ofDefaults();

    final TestDatabase db;
    final KafkaServer kafka;
    final List<byte[]> payloads;
    private final Set<String> topics = new HashSet<>();

    private BenchEnv(TestDatabase db, KafkaServer kafka, int payloadBytes) {
        this.db = db;
        this.kafka = kafka;
        this.payloads = payloads(payloadBytes);
    }

    /**
     * Opens the environment: {@code url} (a JDBC URL, else {@code OUTBOX_TEST_POSTGRES_URL}, else an
     * embedded server) and {@code kafka} (bootstrap servers, else {@code OUTBOX_TEST_KAFKA_BOOTSTRAP},
     * else an in-process broker).
     */
    static BenchEnv open(String hint, String url, String bootstrap, int payloadBytes) throws SQLException {
        quietLogs();
        if (url != null && !url.isBlank()) {
            System.setProperty(PostgresServer.URL_ENV, url);
        }
        if (bootstrap != null && !bootstrap.isBlank()) {
            System.setProperty(KafkaServer.BOOTSTRAP_ENV, bootstrap);
        }
        TestDatabase db = PostgresServer.shared().createDatabase(hint);
        BenchEnv env = new BenchEnv(db, KafkaServer.shared(), payloadBytes);
        OutboxSchema.of(TABLES).migrate(db.dataSource());
        env.execute("CREATE TABLE bench_payload (n int PRIMARY KEY, p bytea NOT NULL)");
        try (Connection c = db.openConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bench_payload (n, p) VALUES (?, ?)")) {
            for (int i = 0; i < env.payloads.size(); i++) {
                ps.setInt(1, i);
                ps.setBytes(2, env.payloads.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return env;
    }

    /** Relay and driver INFO logs would bury the tables: keep warnings only. */
    private static void quietLogs() {
        Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** 1 KB-ish JSON documents whose bulk is random hex, so LZ4 cannot shrink them much. */
    private static List<byte[]> payloads(int size) {
        Random random = new Random(42);
        List<byte[]> out = new ArrayList<>(PAYLOADS);
        for (int n = 0; n < PAYLOADS; n++) {
            String head = "{\"orderId\":\"o-" + n + "\",\"currency\":\"EUR\",\"amount\":" + (n * 7 % 1000) + ",\"blob\":\"";
            StringBuilder sb = new StringBuilder(size).append(head);
            while (sb.length() < size - 2) {
                sb.append(Character.forDigit(random.nextInt(16), 16));
            }
            out.add(sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Opens an unpooled connection to the benchmark's database that shows up in
     * {@code pg_stat_activity} as {@code applicationName}; the caller closes it.
     */
    Connection openConnection(String applicationName) throws SQLException {
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), connectionProperties(this, applicationName));
    }

    /** The database's credentials plus {@code ApplicationName}, as JDBC driver properties. */
    static java.util.Properties connectionProperties(BenchEnv env, String applicationName) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", env.db.username());
        p.setProperty("password", env.db.password());
        p.setProperty("ApplicationName", applicationName);
        return p;
    }

    /** Prints machine, JVM, database and broker, as the first lines of a report. */
    void printSetup(String title, String arguments) throws SQLException {
        System.out.printf(Locale.ROOT, "%s, %s%n", title, Instant.now());
        System.out.printf(Locale.ROOT, "  arguments : %s%n", arguments);
        System.out.printf(Locale.ROOT, "  machine   : %d CPUs (availableProcessors), load %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "  JVM       : %s %s, max heap %d MB%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
        try (Connection c = db.openConnection()) {
            System.out.printf(Locale.ROOT, "  database  : %s (%s)%n", c.getMetaData().getDatabaseProductVersion(),
                    PostgresServer.shared().source());
            System.out.printf(Locale.ROOT, "              fsync=%s synchronous_commit=%s shared_buffers=%s"
                            + " autovacuum=%s max_wal_size=%s%n", show(c, "fsync"), show(c, "synchronous_commit"),
                    show(c, "shared_buffers"), show(c, "autovacuum"), show(c, "max_wal_size"));
        }
        System.out.printf(Locale.ROOT, "  broker    : %s, kafka-clients %s%n", kafka.source(), AppInfoParser.getVersion());
        System.out.printf(Locale.ROOT, "  events    : %d-byte payloads (%d distinct), 4 headers%n",
                payloads.get(0).length, PAYLOADS);
    }

    /** The 1, 5 and 15 minute load averages, from {@code /proc/loadavg}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Creates a topic (remembered, deleted on close) with the given partitions. */
    String topic(String name, int partitions) {
        topics.add(name);
        return kafka.createTopic(name, partitions);
    }

    /**
     * Appends {@code count} PENDING events of aggregate type {@code type} in SQL, in statements of
     * {@code chunk} rows (one transaction each), ids time-ordered like UUIDv7, {@code keys}
     * distinct aggregate ids; returns the seconds taken.
     */
    double fill(String type, long count, int keys, int chunk) throws SQLException {
        String sql = "INSERT INTO " + TABLES.eventTable() + " (id, aggregatetype, aggregateid, type, payload, headers)"
                + " SELECT (lpad(to_hex(?::bigint + g / 64), 12, '0') || '7' || substr(m.h, 1, 3) || '8'"
                + " || substr(m.h, 4, 15))::uuid, ?, 'order-' || (g % ?), 'OrderPlaced',"
                + " (SELECT p FROM bench_payload WHERE n = (g % " + PAYLOADS + ")::int), '{\"tenant\":\"acme\"}'::jsonb"
                + " FROM generate_series(?::bigint, ?::bigint) g CROSS JOIN LATERAL (SELECT md5(g::text) AS h) m";
        long base = System.currentTimeMillis() - count / 64;
        long start = System.nanoTime();
        try (Connection c = db.openConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (long from = 0; from < count; from += chunk) {
                ps.setLong(1, base);
                ps.setString(2, type);
                ps.setInt(3, keys);
                ps.setLong(4, from);
                ps.setLong(5, Math.min(count, from + chunk) - 1);
                ps.executeUpdate();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The same fill in one transaction, so every row becomes visible at one commit. */
    double fillAtOnce(String type, long count, int keys) throws SQLException {
        return fill(type, count, keys, (int) Math.min(Integer.MAX_VALUE, count));
    }

    /** Removes every event (between phases) and resets the statistics view's counters by ANALYZE. */
    /** The server's current WAL position. */
    String walLsn() throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** WAL bytes written since {@code lsn} (by the whole server: run nothing else on it). */
    long walBytesSince(String lsn) throws SQLException {
        return count("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn + "')::bigint");
    }

    void truncate() throws SQLException {
        execute("TRUNCATE " + TABLES.eventTable());
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rows of a query, one line each, columns joined by two spaces. */
    List<String> rows(String sql, String... localSettings) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String setting : localSettings) {
                s.execute("SET LOCAL " + setting);
            }
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        sb.append(i == 1 ? "" : "  ").append(n == 1 ? "" : rs.getMetaData().getColumnLabel(i) + "=")
                                .append(rs.getString(i));
                    }
                    out.add(sb.toString());
                }
            }
            c.rollback();
        }
        return out;
    }

    /** Size, live/dead tuples, visibility and autovacuum history of the event table. */
    String tableState() throws SQLException {
        return String.join("; ", rows("SELECT pg_size_pretty(pg_total_relation_size(c.oid)) AS size,"
                + " s.n_live_tup AS live, s.n_dead_tup AS dead, c.relpages AS pages, c.relallvisible AS all_visible,"
                + " s.autovacuum_count AS autovacuums, s.autoanalyze_count AS autoanalyzes,"
                + " to_char(s.last_autovacuum, 'HH24:MI:SS') AS last_autovacuum"
                + " FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = '"
                + TABLES.eventTable() + "'"));
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Waits up to {@code timeout} for {@code condition}, checking every few milliseconds; false on timeout. */
    static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    /** Prints {@code details} below the tables and ends the JVM: the in-process broker's threads are not daemons. */
    static void exit(int code, List<String> details) {
        System.out.println();
        details.forEach(d -> System.out.println("  " + d));
        System.out.flush();
        System.exit(code);
    }

    /** Deletes the topics this run created and drops the database. */
    @Override
    public void close() {
        if (!topics.isEmpty()) {
            try (Admin admin = Admin.create(kafka.adminProps())) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("  (deleting topics failed: " + e.getMessage() + ")");
            }
        }
        db.close();
    }
}
