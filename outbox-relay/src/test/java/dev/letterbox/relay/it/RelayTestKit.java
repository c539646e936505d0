package dev.letterbox.relay.it;

import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.CircuitBreakerConfig;
import dev.letterbox.relay.KafkaConfig;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.internal.DefaultRelay;
import dev.letterbox.relay.internal.PollingHooks;
import dev.letterbox.relay.internal.PollingStrategyProvider;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Shared helpers of the relay's integration tests: schema, writing events, building relays, reading topics. */
public final class RelayTestKit {

    private final TestDatabase db;
    private final KafkaServer kafka;
    private final Outbox outbox = Outbox.builder().build();

    private final String mode;

    public RelayTestKit(TestDatabase db, KafkaServer kafka) {
        this(db, kafka, "mark");
    }

    /** A kit whose relays run {@code relay.polling.mode} {@code mode}. */
    public RelayTestKit(TestDatabase db, KafkaServer kafka, String mode) {
        this.db = db;
        this.kafka = kafka;
        this.mode = mode;
        OutboxSchema.of(OutboxTables.ofDefaults()).migrate(db.dataSource());
    }

    public TestDatabase db() {
        return db;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    /** A configuration for tests: short lease TTL and timeouts, fast metrics, unique instance id. */
    public RelayConfig.Builder config(String instanceId) {
        return RelayConfig.builder()
                .instanceId(instanceId)
                .kafka(new KafkaConfig(kafka.bootstrapServers(), Map.of(
                        "delivery.timeout.ms", "4000", "request.timeout.ms", "1500", "max.block.ms", "2000",
                        "linger.ms", "2")))
                .polling(polling().leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build())
                .retry(RetryConfig.builder().initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500)).build())
                .circuitBreaker(CircuitBreakerConfig.builder().failureThreshold(2).openDuration(Duration.ofMillis(500)).build())
                .metricsInterval(Duration.ofMillis(200));
    }

    public Relay relay(RelayConfig config) {
        return relay(config, db.dataSource(), PollingHooks.NONE);
    }

    public Relay relay(RelayConfig config, DataSource dataSource, PollingHooks hooks) {
        return relay(config, dataSource, hooks, new SimpleMeterRegistry());
    }

    /** A relay whose meters go to the given registry, so a test can read them as a monitoring system would. */
    public Relay relay(RelayConfig config, DataSource dataSource, PollingHooks hooks, MeterRegistry registry) {
        return new DefaultRelay(config, dataSource, registry, Clock.systemUTC(), null, new PollingStrategyProvider(hooks));
    }

    /**
     * Events {@code from..to-1} of each of {@code aggregates} aggregates ({@code <prefix>-<a>}), round
     * by round, the payload being the round number: the order a consumer must see per aggregate.
     */
    public static List<OutboxEvent> rounds(String aggregateType, String prefix, int aggregates, int from, int to) {
        List<OutboxEvent> events = new ArrayList<>(aggregates * Math.max(0, to - from));
        for (int round = from; round < to; round++) {
            for (int a = 0; a < aggregates; a++) {
                events.add(event(aggregateType, prefix + "-" + a, "Changed", Integer.toString(round)));
            }
        }
        return events;
    }

    /** An event with a text payload. */
    public static OutboxEvent event(String aggregateType, String aggregateId, String type, String payload) {
        return OutboxEvent.builder().aggregateType(aggregateType).aggregateId(aggregateId).eventType(type)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** Appends the events in one transaction; returns their ids. */
    public List<UUID> append(List<OutboxEvent> events) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.appendAll(c, events);
            c.commit();
        }
        return events.stream().map(OutboxEvent::id).toList();
    }

    /** The polling settings' builder in this kit's mode. */
    public PollingConfig.Builder polling() {
        return PollingConfig.builder().mode(mode);
    }

    /** The mode this kit's relays run. */
    public String mode() {
        return mode;
    }

    /**
     * A row's status as the relay means it, in both modes: log mode never updates a published row,
     * whose seq is then at or below its shard's position.
     */
    static final String STATUS = "CASE WHEN status = 'PENDING' AND seq <= COALESCE((SELECT l.position FROM outbox_lease l"
            + " WHERE l.name = CONCAT('shard-', e.shard)), -1) THEN 'PUBLISHED' ELSE status END";

    /** Row counts by status. */
    public Map<String, Long> statusCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT " + status() + ", count(*) FROM outbox_event e GROUP BY 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    public long count(String status) throws SQLException {
        return statusCounts().getOrDefault(status, 0L);
    }

    private String status() {
        return "mark".equals(mode) || !postgres() ? "status" : STATUS;
    }

    /** Runs a query that returns one number. */
    public long scalar(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs one SQL update on the test database. */
    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Reads one row's columns by event id. */
    public Map<String, Object> row(UUID id) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + status()
                     + ", attempts, last_error FROM outbox_event e WHERE id = "
                     + (db.kind().name().equals("POSTGRES") ? "?::uuid" : "?"))) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                Map<String, Object> row = new HashMap<>();
                row.put("status", rs.getString(1));
                row.put("attempts", rs.getInt(2));
                row.put("last_error", String.valueOf(rs.getString(3)));
                return row;
            }
        }
    }

    /** The number of shard leases the instance holds unexpired now (database time). */
    public long liveShardLeases(String owner) throws SQLException {
        return longQuery("SELECT count(*) FROM outbox_lease WHERE name LIKE 'shard-%' AND owner = ? AND expires_at > "
                + now(), owner);
    }

    /** Starts the relay and waits until its instance holds all 64 shard leases (it is the only one). */
    public void startOwningAllShards(Relay relay, String instanceId) {
        relay.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> liveShardLeases(instanceId) == 64);
    }

    /** The number of lease rows of any kind (shards, membership, jobs) the instance holds unexpired now. */
    public long liveLeases(String owner) throws SQLException {
        return longQuery("SELECT count(*) FROM outbox_lease WHERE owner = ? AND expires_at > " + now(), owner);
    }

    /** The owner of a lease if it is unexpired now, else null. */
    public String liveOwner(String leaseName) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT owner FROM outbox_lease WHERE name = ? AND expires_at > "
                     + now())) {
            ps.setString(1, leaseName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The epoch (fencing token) of every shard lease, by lease name. */
    public Map<String, Long> shardEpochs() throws SQLException {
        Map<String, Long> epochs = new HashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, epoch FROM outbox_lease WHERE name LIKE 'shard-%'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                epochs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return epochs;
    }

    /** Runs a query that returns one number. */
    public long longQuery(String sql, Object... params) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The plan of {@code sql} with {@code params}, one line per row of {@code EXPLAIN}; on PostgreSQL
     * with sequential scans off, so that on a small test table the plan shows whether an index can
     * answer the statement at all.
     */
    public String explain(String sql, Object... params) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (postgres()) {
                    try (PreparedStatement off = c.prepareStatement("SET LOCAL enable_seqscan = off")) {
                        off.execute();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    StringBuilder plan = new StringBuilder();
                    try (ResultSet rs = ps.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                plan.append(rs.getString(i)).append(i < columns ? " | " : "\n");
                            }
                        }
                    }
                    return plan.toString();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The database's current time in SQL. */
    public String now() {
        return postgres() ? "now()" : "NOW(6)";
    }

    /** The database's time {@code age} ago, in SQL. */
    public String ago(Duration age) {
        return postgres() ? "(now() - interval '" + age.toSeconds() + " seconds')"
                : "(NOW(6) - INTERVAL " + age.toSeconds() + " SECOND)";
    }

    /** The database's time {@code ahead} from now, in SQL. */
    public String fromNow(Duration ahead) {
        return postgres() ? "(now() + interval '" + ahead.toSeconds() + " seconds')"
                : "(NOW(6) + INTERVAL " + ahead.toSeconds() + " SECOND)";
    }

    private boolean postgres() {
        return db.kind().name().equals("POSTGRES");
    }

    /** Waits until no row is PENDING. */
    public void awaitDrained(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> count("PENDING") == 0);
    }

    /** Reads every record of a topic from the beginning until at least {@code expected} arrived. */
    public List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, int expected, Duration timeout) {
        Map<String, Object> props = kafka.consumerProps("it-" + UUID.randomUUID());
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // a short extra read catches duplicates that arrived with the last ones
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
