package dev.letterbox.debezium;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.KafkaConfig;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.testsupport.DatabaseKind;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** One test's database, outbox, relays and topic reader; closes what it started. Not thread-safe. */
final class CdcFixture implements AutoCloseable {

    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    final TestDatabase db;
    final OutboxTables tables = OutboxTables.ofDefaults();
    final KafkaServer kafka = KafkaServer.shared();
    final String aggregateType = "order" + UUID.randomUUID().toString().substring(0, 8);
    final String topic = "outbox.event." + aggregateType;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Map<String, String> extraProperties = new HashMap<>();
    private final List<Relay> relays = new ArrayList<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    CdcFixture(TestDatabase db) {
        this.db = db;
        OutboxSchema.of(tables).migrate(db.dataSource());
        kafka.createTopic(topic, 3);
        if (!db.password().isEmpty()) {
            extraProperties.put("database.password", db.password());
        }
    }

    Outbox outbox(WriteMode mode) {
        return Outbox.builder().tables(tables).writeMode(mode).build();
    }

    RelayConfig.Builder config(String instanceId, WriteMode mode) {
        Map<String, String> props = new HashMap<>(extraProperties);
        props.put(CdcSettings.WRITE_MODE, mode.name().toLowerCase().replace('_', '-'));
        return RelayConfig.builder().instanceId(instanceId).strategy("cdc")
                .kafka(KafkaConfig.of(kafka.bootstrapServers()))
                .polling(PollingConfig.builder().leaseTtl(LEASE_TTL).build())
                .cleanup(CleanupConfig.builder().enabled(false).build())
                .strategyProperties(props);
    }

    Relay startRelay(String instanceId, WriteMode mode) {
        return startRelay(config(instanceId, mode).build());
    }

    Relay startRelay(RelayConfig config) {
        return startRelay(config, db.dataSource());
    }

    Relay startRelay(RelayConfig config, javax.sql.DataSource dataSource) {
        Relay relay = Relay.builder().config(config).dataSource(dataSource).meterRegistry(registry).build();
        relays.add(relay);
        relay.start();
        return relay;
    }

    OutboxEvent event(String aggregateId, int n) {
        return OutboxEvent.builder().aggregateType(aggregateType).aggregateId(aggregateId).eventType("Placed")
                .payload(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)).header("tenant", "acme").build();
    }

    /** Appends the events in one transaction. */
    List<OutboxEvent> append(WriteMode mode, List<OutboxEvent> events) throws SQLException {
        try (Connection c = db.openConnection()) {
            c.setAutoCommit(false);
            outbox(mode).appendAll(c, events);
            c.commit();
        }
        return events;
    }

    List<OutboxEvent> events(String aggregateId, int from, int count) {
        List<OutboxEvent> events = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            events.add(event(aggregateId, i));
        }
        return events;
    }

    /** Every record on the fixture's topic so far (reads from the start, keeps reading on later calls). */
    List<ConsumerRecord<byte[], byte[]>> received() {
        if (consumer == null) {
            Map<String, Object> props = new HashMap<>(kafka.consumerProps("cdc-it-" + UUID.randomUUID()));
            props.put("auto.offset.reset", "earliest");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen;
    }

    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    /** The distinct event ids received so far. */
    java.util.Set<String> receivedIds() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : received()) {
            ids.add(header(r, "id"));
        }
        return ids;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Waits until the engine reads the log: the slot is active (PostgreSQL) or a binlog dump runs (MariaDB). */
    void awaitEngineReady() {
        String sql = db.kind() == DatabaseKind.POSTGRES
                ? "SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND active"
                : "SELECT count(*) FROM information_schema.processlist WHERE command LIKE 'Binlog Dump%'";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count(sql) > 0);
    }

    void stop(Relay relay) {
        relay.close();
        relays.remove(relay);
    }

    @Override
    public void close() {
        for (Relay r : relays) {
            r.close();
        }
        relays.clear();
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        if (db.kind() == DatabaseKind.POSTGRES) {
            try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE database = current_database() AND NOT active");
            } catch (SQLException e) {
                // the database is dropped with its slots at JVM exit on an embedded server
            }
        }
        db.close();
    }
}
