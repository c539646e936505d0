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
    final KafkaServer kafka;
    final String aggregateType = "order" + UUID.randomUUID().toString().substring(0, 8);
    final String topic = "outbox.event." + aggregateType;
    /** A second topic, for events with a topic override. */
    final String overrideTopic = topic + ".audit";
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Map<String, String> extraProperties = new HashMap<>();
    private final List<Relay> relays = new ArrayList<>();
    private final List<ConnectorRun> connectors = new ArrayList<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    CdcFixture(TestDatabase db) {
        this(db, KafkaServer.shared());
    }

    /** On a Kafka of the test's own (e.g. one it restarts). */
    CdcFixture(TestDatabase db, KafkaServer kafka) {
        this.db = db;
        this.kafka = kafka;
        OutboxSchema.of(tables).migrate(db.dataSource());
        kafka.createTopic(topic, 3);
        kafka.createTopic(overrideTopic, 2);
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

    /** A polling relay's configuration on the same database, topics and lease TTL. */
    RelayConfig.Builder pollingConfig(String instanceId) {
        return RelayConfig.builder().instanceId(instanceId).strategy("polling")
                .kafka(KafkaConfig.of(kafka.bootstrapServers()))
                .polling(PollingConfig.builder().leaseTtl(LEASE_TTL).idleBackoffMax(Duration.ofMillis(100)).build())
                .cleanup(CleanupConfig.builder().enabled(false).build());
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

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /**
     * Events that exercise every part of the record contract: three aggregates interleaved, user
     * headers with trace context and non-ASCII values, a topic override, binary and empty payloads,
     * and a tombstone (null payload) without headers.
     */
    List<OutboxEvent> contractEvents() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        return List.of(
                contractEvent("c-1", "Placed").payload("{\"total\":10}").header("traceparent", TRACEPARENT)
                        .header("tracestate", "rojo=00f067aa0ba902b7").header("tenant", "acme").header("x-request-id", "r-1").build(),
                contractEvent("c-2", "Placed").payload("{\"total\":20}").header("tenant", "globex")
                        .header("note", "na\u00efve \u2713 \"quoted\"").build(),
                contractEvent("c-1", "Paid").payload(binary).header("traceparent", TRACEPARENT).build(),
                contractEvent("c-3", "Audited").payload("{\"audit\":true}").topic(overrideTopic)
                        .header("tenant", "acme").build(),
                contractEvent("c-2", "Deleted").payload((byte[]) null).build(),
                contractEvent("c-1", "Shipped").payload(new byte[0]).header("tenant", "acme").build());
    }

    private OutboxEvent.Builder contractEvent(String aggregateId, String type) {
        return OutboxEvent.builder().aggregateType(aggregateType).aggregateId(aggregateId).eventType(type);
    }

    /** The {@code headers} column of every row as the database returns it as text, by event id (null when null). */
    Map<String, String> storedHeaders() throws SQLException {
        String sql = db.kind() == DatabaseKind.POSTGRES ? "SELECT id::text, headers::text FROM outbox_event"
                : "SELECT id, headers FROM outbox_event";
        Map<String, String> headers = new HashMap<>();
        try (Connection c = db.openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                headers.put(rs.getString(1), rs.getString(2));
            }
        }
        return headers;
    }

    /** A {@code headers} column's JSON object as name/value pairs in the column's order (nulls left out). */
    static Map<String, String> parseHeaders(String json) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (json == null) {
            return headers;
        }
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    headers.put(e.getKey(), e.getValue().asText());
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return headers;
    }

    /**
     * Starts the connector configuration docs/kafka-connect.md shows for this database (EventRouter
     * SMT included) on this test's database: the connection, slot, publication, server id and topic
     * prefix are the test's, everything else is the document's.
     */
    ConnectorRun startDocumentedConnector() throws SQLException {
        String unique = identifier("connect_" + db.name());
        Map<String, String> config;
        if (db.kind() == DatabaseKind.POSTGRES) {
            config = ConnectorRun.documentedConfig("io.debezium.connector.postgresql.PostgresConnector");
            config.put("database.dbname", db.name());
            config.put("slot.name", unique);
            config.put("publication.name", unique);
            // the publication the document tells to create: the outbox table's inserts only
            execute("CREATE PUBLICATION " + unique + " FOR TABLE public.outbox_event WITH (publish = 'insert')");
        } else {
            config = ConnectorRun.documentedConfig("io.debezium.connector.mariadb.MariaDbConnector");
            config.put("database.server.id", Long.toString(200_000 + (System.nanoTime() & 0xffffff)));
            config.put("database.include.list", db.name());
            config.put("table.include.list", db.name() + ".outbox_event");
            config.keySet().removeIf(k -> k.startsWith("schema.history.internal.kafka."));
            config.put("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        }
        config.put("database.hostname", db.host());
        config.put("database.port", Integer.toString(db.port()));
        config.put("database.user", extraProperties.getOrDefault("database.user", db.username()));
        config.put("database.password", extraProperties.getOrDefault("database.password",
                db.password().isEmpty() ? "unused-by-trust-auth" : db.password()));
        config.put("topic.prefix", unique);
        config.put("heartbeat.interval.ms", "300"); // so that the heartbeat filter is exercised within the test
        ConnectorRun run = new ConnectorRun(config, kafka);
        connectors.add(run);
        return run;
    }

    private static String identifier(String raw) {
        String s = raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.length() <= 63 ? s : s.substring(0, 63);
    }

    /** Every record on the fixture's two topics so far (reads from the start, keeps reading on later calls). */
    List<ConsumerRecord<byte[], byte[]>> received() {
        if (consumer == null) {
            Map<String, Object> props = new HashMap<>(kafka.consumerProps("cdc-it-" + UUID.randomUUID()));
            props.put("auto.offset.reset", "earliest");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic, overrideTopic));
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
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count(engineReadySql()) > 0);
    }

    /** Counts the log readers of this database: active slots (PostgreSQL) or binlog dumps (MariaDB). */
    String engineReadySql() {
        return db.kind() == DatabaseKind.POSTGRES
                ? "SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND active"
                : "SELECT count(*) FROM information_schema.processlist WHERE command LIKE 'Binlog Dump%'";
    }

    void stop(Relay relay) {
        relay.close();
        relays.remove(relay);
    }

    @Override
    public void close() {
        for (ConnectorRun c : connectors) {
            c.close();
        }
        connectors.clear();
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
