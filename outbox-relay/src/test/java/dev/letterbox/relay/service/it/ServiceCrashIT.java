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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar killed with SIGKILL in the middle of a stream of writes, then a new process on the
 * same outbox: every event reaches Kafka, duplicates are only the batches that were in flight
 * (at most workers x batch size), and the first delivery of each event keeps the order per
 * aggregate.
 */
class ServiceCrashIT {

    private static final int AGGREGATES = 20;
    /** Rounds written at once before the relay starts: a backlog keeps the pollers busy when the kill comes. */
    private static final int BACKLOG = 100;
    private static final int BATCH_SIZE = 100;
    /** relay.polling.workers of the service (the default): each has at most one batch in flight. */
    private static final int WORKERS = 2;

    @TempDir
    Path dir;

    /** A row not published yet, in both modes (log mode never updates a published row: its seq is behind its shard's position). */
    private static final String UNPUBLISHED = "SELECT count(*) FROM outbox_event e WHERE status = 'PARKED' OR status = 'PENDING'"
            + " AND seq > COALESCE((SELECT position FROM outbox_lease l WHERE l.name = 'shard-' || e.shard), -1)";

    @ParameterizedTest(name = "relay.polling.mode: {0}")
    @ValueSource(strings = {"mark", "log"})
    void deliversEveryEventAfterASigkillUnderLoadWithOnlyTheInFlightBatchesTwice(String mode) throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String type = "svccrash" + UUID.randomUUID().toString().substring(0, 8);
        String topic = kafka.createTopic("outbox.event." + type, 4);
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_crash");
             Consumed consumed = new Consumed(kafka, topic)) {
            DataSource ds = db.dataSource();
            Outboxes.migrate(ds);
            Path a = ConfigFiles.write(dir, "a.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-crash-a", BATCH_SIZE).replace("    lease-ttl: 3s\n",
                    "    lease-ttl: 3s\n    mode: " + mode + "\n"));
            Path b = ConfigFiles.write(dir, "b.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-crash-b", BATCH_SIZE).replace("    lease-ttl: 3s\n",
                    "    lease-ttl: 3s\n    mode: " + mode + "\n"));
            AtomicInteger written = new AtomicInteger();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Exception> writerError = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int round = BACKLOG; writing.get(); round++) {
                        Outboxes.insert(ds, type, AGGREGATES, round, round + 1);
                        written.incrementAndGet();
                        Thread.sleep(20); // a steady stream of small transactions
                    }
                } catch (Exception e) {
                    writerError.set(e);
                }
            }, "it-crash-writer");
            writer.setDaemon(true);

            Outboxes.insert(ds, type, AGGREGATES, 0, BACKLOG);
            written.set(BACKLOG);
            try {
                int roundsAtKill;
                try (RelayProcess first = RelayProcess.start(Map.of(), "run", "--config", a.toString())) {
                    consumed.awaitAtLeast(1, Duration.ofSeconds(60));
                    writer.start();
                    consumed.awaitAtLeast(1000, Duration.ofSeconds(60));
                    first.kill();
                    roundsAtKill = written.get();
                    assertThat(first.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGKILL").isNotZero();
                }
                // writes go on while no relay runs, and after the new one started
                await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= roundsAtKill + 50);
                try (RelayProcess second = RelayProcess.start(Map.of(), "run", "--config", b.toString())) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= roundsAtKill + 75);
                    writing.set(false);
                    writer.join(30_000);
                    assertThat(writerError.get()).isNull();
                    int rounds = written.get();
                    Set<String> ids = ids(ds);
                    assertThat(ids).hasSize(AGGREGATES * rounds);
                    try {
                        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                                .failFast("the new relay exited", () -> !second.isAlive())
                                .until(() -> Outboxes.count(ds, UNPUBLISHED) == 0);
                    } catch (ConditionTimeoutException e) {
                        throw new AssertionError("the outbox did not drain: " + Outboxes.count(ds, UNPUBLISHED) + " of "
                                + ids.size() + " unpublished;"
                                + " new relay's output:\n" + second.output(), e);
                    }
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                            consumed.events().stream().map(Consumed.Event::id).distinct().count() >= ids.size());

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
                    // log mode also sends again what was acknowledged since the positions were last stored
                    // (relay.polling.position-flush-interval, 200 ms: about 200 events at this writer's pace)
                    assertThat(duplicates).as("records sent twice: at most the in-flight batches")
                            .isLessThanOrEqualTo(WORKERS * BATCH_SIZE + ("log".equals(mode) ? 200 : 0));
                    List<Integer> expected = new ArrayList<>();
                    for (int n = 0; n < rounds; n++) {
                        expected.add(n);
                    }
                    assertThat(firstSeen).hasSize(AGGREGATES);
                    firstSeen.forEach((key, seen) -> assertThat(seen).as("first deliveries of %s", key).isEqualTo(expected));

                    second.terminate();
                    assertThat(second.awaitExit(Duration.ofSeconds(15))).as(second.output()).isZero();
                }
            } finally {
                writing.set(false);
                writer.join(30_000);
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
