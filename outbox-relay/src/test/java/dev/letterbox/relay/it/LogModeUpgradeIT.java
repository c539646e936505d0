package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The cut-over to log mode on a table of schema version 3 that holds PUBLISHED, PENDING and
 * PARKED rows, with plain-SQL writers running through the migration: nothing lost, nothing sent
 * twice, PUBLISHED rows stay unsent, PARKED rows stay parked; a mark-mode instance refuses to run
 * beside a log-mode one; and the switch back to mark mode re-sends nothing. Also {@code auto}, the
 * default, in a rolling upgrade from mark mode.
 */
class LogModeUpgradeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void cutsOverFromAVersion3TableWithWritersRunningWithoutLossOrResend() throws Exception {
        try (TestDatabase db = PostgresServer.shared().createDatabase("LogModeUpgradeIT")) {
            KafkaServer kafka = KafkaServer.shared();
            String type = "upgrade_" + UUID.randomUUID().toString().substring(0, 8);
            String topic = kafka.createTopic("outbox.event." + type, 3);
            installVersion3(db);
            List<String> published = insert(db, type, "PUBLISHED", 20);
            List<String> pending = insert(db, type, "PENDING", 20);
            List<String> parked = insert(db, type, "PARKED", 3);

            List<String> written = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; writing.get(); i++) {
                            written.add(insertOne(db, type, "w" + writer + "-" + (i % 5), "plain-sql"));
                            Thread.sleep(5);
                        }
                    } catch (Throwable e) {
                        writerError.set(e);
                    }
                }, "upgrade-writer-" + w);
                t.start();
                writers.add(t);
            }
            await().atMost(WAIT).until(() -> written.size() >= 20);
            // the online migration runs while the writers insert
            assertThat(OutboxSchema.of(OutboxTables.ofDefaults()).migrate(db.dataSource()).current()).isEqualTo(4);
            int atMigration = written.size();
            await().atMost(WAIT).until(() -> written.size() >= atMigration + 20);

            RelayTestKit logKit = new RelayTestKit(db, kafka, "log");
            RelayTestKit markKit = new RelayTestKit(db, kafka, "mark");
            RelayConfig logConfig = logKit.config("upgrade-log").build();
            RelayConfig markConfig = markKit.config("upgrade-mark").build();
            try (Relay log = logKit.relay(logConfig)) {
                log.start();
                await().atMost(WAIT).until(() -> written.size() >= atMigration + 60);
                // a mark-mode instance refuses to run beside it
                try (Relay mark = markKit.relay(markConfig)) {
                    mark.start();
                    await().atMost(WAIT).until(() -> String.valueOf(mark.health().strategy().details().get("lastError"))
                            .contains("relay.polling.mode"));
                    assertThat(mark.health().ready()).isFalse();
                    assertThat(mark.health().strategy().details().get("ownedShards")).isEqualTo(0);
                }
                writing.set(false);
                for (Thread t : writers) {
                    t.join(30_000);
                }
                assertThat(writerError.get()).as("a writer's error").isNull();
                logKit.awaitDrained(WAIT);
            }
            List<String> expected = new ArrayList<>(pending);
            expected.addAll(written);
            List<ConsumerRecord<byte[], byte[]>> records = logKit.readTopic(topic, expected.size(), WAIT);
            List<String> ids = records.stream().map(r -> RelayTestKit.header(r, "id")).toList();
            assertThat(ids).as("PENDING rows of version 3 and rows written during and after the migration, once each")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ids).doesNotContainAnyElementsOf(published).doesNotContainAnyElementsOf(parked);
            assertThat(count(db, "SELECT count(*) FROM outbox_event WHERE status = 'PARKED'")).isEqualTo(3);

            // back to mark mode: what log mode published is marked, nothing is sent again; new events go out
            String after = insertOne(db, type, "after-switch", "mark again");
            try (Relay mark = markKit.relay(markKit.config("upgrade-mark-2").build())) {
                mark.start();
                await().atMost(WAIT).until(() -> count(db, "SELECT count(*) FROM outbox_event WHERE status = 'PENDING'") == 0);
            }
            List<String> again = logKit.readTopic(topic, expected.size() + 1, WAIT).stream()
                    .map(r -> RelayTestKit.header(r, "id")).toList();
            List<String> all = new ArrayList<>(expected);
            all.add(after);
            assertThat(again).containsExactlyInAnyOrderElementsOf(all);
        }
    }

    /**
     * The default, {@code auto}, in a rolling upgrade: an instance started beside a running mark-mode
     * instance joins it in mark mode (ready, publishing, marking) instead of refusing; once no
     * mark-mode instance is left, the next {@code auto} instance switches the table to log mode,
     * and nothing is lost or sent twice across the two steps. Before, {@code auto} meant log on
     * PostgreSQL, and the new instance refused to run (not ready, no shards) for as long as the old
     * one lived: a readiness-gated rolling update stalled.
     */
    @Test
    void autoJoinsARunningMarkDeploymentAndSwitchesToLogOnceItIsGone() throws Exception {
        try (TestDatabase db = PostgresServer.shared().createDatabase("LogModeAutoIT")) {
            KafkaServer kafka = KafkaServer.shared();
            String type = "auto_" + UUID.randomUUID().toString().substring(0, 8);
            String topic = kafka.createTopic("outbox.event." + type, 3);
            RelayTestKit markKit = new RelayTestKit(db, kafka, "mark");
            RelayTestKit autoKit = new RelayTestKit(db, kafka, "auto");
            List<String> expected = new ArrayList<>();
            try (Relay old = markKit.relay(markKit.config("rolling-old").build())) {
                old.start();
                expected.addAll(insert(db, type, "PENDING", 10));
                await().atMost(WAIT).until(() -> markKit.count("PENDING") == 0);
                try (Relay joined = autoKit.relay(autoKit.config("rolling-new").build())) {
                    joined.start();
                    await().atMost(WAIT).until(() -> joined.health().ready()
                            && !Integer.valueOf(0).equals(joined.health().strategy().details().get("ownedShards")));
                    assertThat(joined.health().strategy().details().get("mode")).isEqualTo("mark");
                    expected.addAll(insert(db, type, "PENDING", 10));
                    await().atMost(WAIT).until(() -> markKit.count("PENDING") == 0);
                }
            }
            assertThat(markKit.count("PUBLISHED")).as("rows marked by both mark-mode instances").isEqualTo(20);
            try (Relay alone = autoKit.relay(autoKit.config("rolling-next").build())) {
                alone.start();
                await().atMost(WAIT).until(() -> "log".equals(alone.health().strategy().details().get("mode")));
                expected.addAll(insert(db, type, "PENDING", 10));
                await().atMost(WAIT).until(() -> autoKit.count("PENDING") == 0);
                assertThat(markKit.count("PENDING")).as("log mode leaves its published rows PENDING").isEqualTo(10);
            }
            List<String> ids = autoKit.readTopic(topic, expected.size(), WAIT).stream()
                    .map(r -> RelayTestKit.header(r, "id")).toList();
            assertThat(ids).as("every event once, across the join and the switch").containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Versions 1 to 3 as a Flyway user would have installed them from the plain SQL files. */
    private static void installVersion3(TestDatabase db) throws SQLException, IOException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String script : List.of("V1__outbox.sql", "V2__parked_index.sql", "V3__published_index.sql",
                    "schema_version.sql")) {
                try (InputStream in = OutboxSchema.class.getResourceAsStream(
                        "/dev/letterbox/outbox/schema/postgresql/" + script)) {
                    for (String sql : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";\\s*\\n")) {
                        String body = sql.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
                        if (!body.isBlank()) {
                            s.execute(body);
                        }
                    }
                }
            }
            s.execute("INSERT INTO outbox_schema_version (version, description) VALUES (1, 'v1'), (2, 'v2'), (3, 'v3')");
        }
    }

    private static List<String> insert(TestDatabase db, String type, String status, int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = insertOne(db, type, status.toLowerCase() + "-" + i, status);
            ids.add(id);
            if (!"PENDING".equals(status)) {
                try (Connection c = db.dataSource().getConnection();
                     PreparedStatement ps = c.prepareStatement("UPDATE outbox_event SET status = ?, published_at = now()"
                             + " WHERE id = ?::uuid")) {
                    ps.setString(1, status);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            }
        }
        return ids;
    }

    /** A plain-SQL writer: only the EventRouter columns, in its own transaction. */
    private static String insertOne(TestDatabase db, String type, String aggregateId, String payload) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload)"
                     + " VALUES (?, ?, 'T', ?) RETURNING id")) {
            ps.setString(1, type);
            ps.setString(2, aggregateId);
            ps.setBytes(3, payload.getBytes(StandardCharsets.UTF_8));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
