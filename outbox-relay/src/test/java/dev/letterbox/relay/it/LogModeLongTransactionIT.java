package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.internal.PollingHooks;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import dev.letterbox.testsupport.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Log mode while a transaction stays open: every writing transaction of the cluster holds the
 * commit horizon back. The relay must lose nothing, keep publishing what commits meanwhile within
 * seconds, name the blocker, and publish the blocker's own events when it commits, ahead of the
 * later events of the same aggregate. The hold lasts {@code letterbox.it.hold-seconds} (15 in CI;
 * the minute with {@code -Dletterbox.it.hold-seconds=60}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogModeLongTransactionIT {

    private static final Duration HOLD = Duration.ofSeconds(Long.getLong("letterbox.it.hold-seconds", 15));
    /** How long a commit may take to reach Kafka while the horizon is held back: "within seconds". */
    private static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(5);

    private RelayTestKit kit;
    private TestDatabase db;

    @BeforeAll
    void setUp() {
        db = PostgresServer.shared().createDatabase("LogModeLongTransactionIT");
        kit = new RelayTestKit(db, KafkaServer.shared(), "log");
    }

    @AfterAll
    void tearDown() {
        db.close();
    }

    @Test
    void publishesWhatCommitsBehindALongTransactionNamesItAndPublishesItsEventsWhenItCommits() throws Exception {
        String type = "hold_" + UUID.randomUUID().toString().substring(0, 8);
        String topic = kit.kafka().createTopic("outbox.event." + type, 3);
        RelayConfig config = kit.config("hold-" + UUID.randomUUID().toString().substring(0, 6))
                .polling(kit.polling().horizonWait(Duration.ofMillis(300)).leaseTtl(Duration.ofSeconds(2))
                        .idleBackoffMax(Duration.ofMillis(20)).build()).build();
        MeterRegistry registry = new SimpleMeterRegistry();
        Outbox outbox = Outbox.builder().build();
        Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
        List<UUID> order = Collections.synchronizedList(new ArrayList<>());
        UUID earlyId;
        UUID laterId;
        try (TopicReader reader = new TopicReader(kit.kafka(), topic);
             Relay relay = kit.relay(config, db.dataSource(), PollingHooks.NONE, registry);
             Connection blocker = db.dataSource().getConnection()) {
            relay.start();
            // the long transaction: it has an xid (an unrelated write), and an outbox event of its own
            // whose seq is lower than every event committed while it stays open
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS unrelated (x int)");
            }
            blocker.commit();
            try (Statement s = blocker.createStatement()) {
                s.execute("INSERT INTO unrelated VALUES (1)");
            }
            OutboxEvent early = RelayTestKit.event(type, "slow-1", "T", "0");
            earlyId = early.id();
            outbox.append(blocker, early);

            long end = System.nanoTime() + HOLD.toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                OutboxEvent e = RelayTestKit.event(type, "busy-" + (n % 7), "T", Integer.toString(n / 7));
                kit.append(List.of(e));
                committedAt.put(e.id(), System.nanoTime());
                order.add(e.id());
                n++;
                Thread.sleep(20);
            }
            // meanwhile: published within seconds, and the blocker named
            // one wait for all (Awaitility's first poll comes after a delay: one wait per event took a minute)
            await().atMost(PUBLISHED_WITHIN.plusSeconds(2)).until(() -> reader.received().keySet().containsAll(order));
            List<Long> delays = new ArrayList<>();
            order.forEach(id -> delays.add((reader.received().get(id) - committedAt.get(id)) / 1_000_000));
            Collections.sort(delays);
            System.out.printf("long transaction %s: %d events committed behind it, delay p50 %d ms, max %d ms%n",
                    HOLD, order.size(), delays.get(delays.size() / 2), delays.get(delays.size() - 1));
            assertThat(delays.get(delays.size() - 1)).as("ms from commit to Kafka while the horizon is held back")
                    .isLessThanOrEqualTo(PUBLISHED_WITHIN.toMillis());
            assertThat(reader.received()).doesNotContainKey(early.id());
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.health().strategy().details()
                    .containsKey("horizonHeldBackBy"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> named = (List<Map<String, Object>>) relay.health().strategy().details()
                    .get("horizonHeldBackBy");
            int pid = blocker.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            assertThat(named).extracting(b -> b.get("pid")).contains(pid);
            assertThat(registry.get("outbox.horizon.age").gauge().value()).isGreaterThan(HOLD.toSeconds() / 2.0);

            // the blocker commits: its early event goes out, ahead of the later event of its aggregate
            blocker.commit();
            OutboxEvent later = RelayTestKit.event(type, "slow-1", "T", "1");
            laterId = later.id();
            kit.append(List.of(later));
            await().atMost(Duration.ofSeconds(15)).until(() -> reader.received().containsKey(early.id())
                    && reader.received().containsKey(later.id()));
            assertThat(reader.received().get(early.id())).isLessThan(reader.received().get(later.id()));
            await().atMost(Duration.ofSeconds(15)).until(() -> kit.count("PENDING") == 0);
            await().atMost(Duration.ofSeconds(15)).until(() -> registry.get("outbox.horizon.age").gauge().value() < 1.0);
        }
        List<UUID> all = new ArrayList<>(order);
        all.add(earlyId);
        all.add(laterId);
        Deliveries.of(kit.readTopic(topic, all.size(), Duration.ofSeconds(20))).assertEveryEventOnce(all);
    }
}
