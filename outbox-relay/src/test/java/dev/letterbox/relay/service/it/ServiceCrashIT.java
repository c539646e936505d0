package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar killed with SIGKILL in the middle of a stream of writes, then a new process on the
 * same outbox: every event reaches Kafka, duplicates are only the batches that were in flight
 * (at most workers x batch size), and the first delivery of each event keeps the order per
 * aggregate.
 */
class ServiceCrashIT {

    private static final int AGGREGATES = 20;
    private static final int ROUNDS = 400;
    private static final int BATCH_SIZE = 100;
    /** relay.polling.workers of the service (the default): each has at most one batch in flight. */
    private static final int WORKERS = 2;

    @TempDir
    Path dir;

    @Test
    void deliversEveryEventAfterASigkillUnderLoadWithOnlyTheInFlightBatchesTwice() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String type = "svccrash" + UUID.randomUUID().toString().substring(0, 8);
        String topic = kafka.createTopic("outbox.event." + type, 4);
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_crash");
             Consumed consumed = new Consumed(kafka, topic)) {
            DataSource ds = db.dataSource();
            Outboxes.migrate(ds);
            Path a = ConfigFiles.write(dir, "a.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-crash-a", BATCH_SIZE));
            Path b = ConfigFiles.write(dir, "b.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-crash-b", BATCH_SIZE));
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Exception> writerError = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        Outboxes.insert(ds, type, AGGREGATES, round, round + 1);
                        written.incrementAndGet();
                        Thread.sleep(10); // a steady stream of small transactions, not one burst
                    }
                } catch (Exception e) {
                    writerError.set(e);
                }
            }, "it-crash-writer");

            try (RelayProcess first = RelayProcess.start(Map.of(), "run", "--config", a.toString())) {
                first.awaitStdout(l -> l.contains("relay started"), Duration.ofSeconds(60));
                writer.start();
                consumed.awaitAtLeast(1500, Duration.ofSeconds(60));
                first.kill();
                assertThat(first.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGKILL").isNotZero();
            }
            assertThat(written.get()).as("rounds written when the relay was killed").isLessThan(ROUNDS);

            try (RelayProcess second = RelayProcess.start(Map.of(), "run", "--config", b.toString())) {
                writer.join(120_000);
                assertThat(writerError.get()).isNull();
                assertThat(written.get()).isEqualTo(ROUNDS);
                Set<String> ids = ids(ds);
                assertThat(ids).hasSize(AGGREGATES * ROUNDS);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                        consumed.events().stream().map(Consumed.Event::id).distinct().count() >= ids.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> Outboxes.count(ds,
                        "SELECT count(*) FROM outbox_event WHERE status <> 'PUBLISHED'") == 0);

                List<Consumed.Event> events = new ArrayList<>(consumed.events());
                Set<String> delivered = new HashSet<>();
                Map<String, List<Integer>> firstSeen = new LinkedHashMap<>();
                for (Consumed.Event e : events) {
                    if (delivered.add(e.id())) {
                        firstSeen.computeIfAbsent(e.key(), k -> new ArrayList<>())
                                .add(Integer.parseInt(e.value().split(":")[1]));
                    }
                }
                int duplicates = events.size() - delivered.size();
                System.out.printf("sigkill test: records=%d distinct=%d duplicates=%d%n", events.size(),
                        delivered.size(), duplicates);
                assertThat(delivered).as("event ids delivered").containsExactlyInAnyOrderElementsOf(ids);
                assertThat(duplicates).as("records sent twice: at most the in-flight batches")
                        .isLessThanOrEqualTo(WORKERS * BATCH_SIZE);
                List<Integer> expected = new ArrayList<>();
                for (int n = 0; n < ROUNDS; n++) {
                    expected.add(n);
                }
                assertThat(firstSeen).hasSize(AGGREGATES);
                firstSeen.forEach((key, seen) -> assertThat(seen).as("first deliveries of %s", key).isEqualTo(expected));

                second.terminate();
                assertThat(second.awaitExit(Duration.ofSeconds(15))).as(second.output()).isZero();
            }
        }
    }

    private static Set<String> ids(DataSource ds) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id::text FROM outbox_event")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
