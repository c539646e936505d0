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

    public RelayTestKit(TestDatabase db, KafkaServer kafka) {
        this.db = db;
        this.kafka = kafka;
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
                .polling(PollingConfig.builder().leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build())
                .retry(RetryConfig.builder().initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500)).build())
                .circuitBreaker(CircuitBreakerConfig.builder().failureThreshold(2).openDuration(Duration.ofMillis(500)).build())
                .metricsInterval(Duration.ofMillis(200));
    }

    public Relay relay(RelayConfig config) {
        return relay(config, db.dataSource(), PollingHooks.NONE);
    }

    public Relay relay(RelayConfig config, DataSource dataSource, PollingHooks hooks) {
        return new DefaultRelay(config, dataSource, new SimpleMeterRegistry(), Clock.systemUTC(), null,
                new PollingStrategyProvider(hooks));
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

    /** Row counts by status. */
    public Map<String, Long> statusCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM outbox_event GROUP BY status");
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
             PreparedStatement ps = c.prepareStatement("SELECT status, attempts, last_error FROM outbox_event WHERE id = "
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
