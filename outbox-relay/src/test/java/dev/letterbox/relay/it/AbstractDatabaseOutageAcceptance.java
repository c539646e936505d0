package dev.letterbox.relay.it;

import static dev.letterbox.relay.it.RelayTestKit.rounds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayHealth;
import dev.letterbox.relay.RelayState;
import dev.letterbox.relay.internal.PollingHooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database-outage part of the acceptance suite: while the relay cannot reach its database it
 * stays RUNNING, backs off instead of spinning, logs the outage a bounded number of times, and
 * reports the oldest-unpublished age as NaN (never 0: the backlog is unknown, not empty); once the
 * database is back it takes its shards again and delivers what was written meanwhile.
 */
abstract class AbstractDatabaseOutageAcceptance extends AbstractFailoverAcceptance {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration OUTAGE = Duration.ofSeconds(4);

    @Test
    void keepsRunningWithoutSpinningWhileTheDatabaseIsDownAndResumesAfter() throws Exception {
        String type = aggregateType("dbdown");
        String topic = kit.kafka().createTopic("outbox.event." + type, 2);
        SwitchableDataSource database = new SwitchableDataSource(kit.db().dataSource());
        MeterRegistry registry = new SimpleMeterRegistry();
        // lease TTL 2 s (the outage outlasts it), backoff 50 ms doubling to 500 ms, 2 pollers
        RelayConfig config = kit.config(instance("dbdown")).build();
        List<OutboxEvent> events = new ArrayList<>(rounds(type, "acct", 10, 0, 5));
        List<OutboxEvent> writtenDuringOutage = rounds(type, "acct", 10, 5, 10);
        try (Relay relay = kit.relay(config, database.dataSource(), PollingHooks.NONE, registry);
             LogCapture log = LogCapture.of("dev.letterbox.relay")) {
            relay.start();
            kit.append(events);
            kit.awaitDrained(WAIT);
            await().atMost(WAIT).until(() -> gauge(registry, "outbox.oldest.unpublished.age") == 0.0);

            log.clear();
            database.down();
            long downAt = System.nanoTime();
            kit.append(writtenDuringOutage); // the services write on: only the relay lost its database
            events.addAll(writtenDuringOutage);
            await().atMost(WAIT).until(() -> Double.isNaN(gauge(registry, "outbox.oldest.unpublished.age")));
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> relay.state() == RelayState.RUNNING
                    && Double.isNaN(gauge(registry, "outbox.oldest.unpublished.age"))
                    && Double.isNaN(gauge(registry, "outbox.backlog"))
                    && Double.isNaN(relay.metrics().oldestUnpublishedAge()));
            RelayHealth health = relay.health();
            double downSeconds = (System.nanoTime() - downAt) / 1e9;

            assertThat(health.state()).isEqualTo(RelayState.RUNNING);
            assertThat(health.databaseReachable()).isFalse();
            assertThat(health.oldestUnpublishedAgeSeconds()).as("oldest unpublished age while unreadable").isNaN();
            assertThat(health.ready()).isFalse();
            // backoff 50 ms doubling to 500 ms: about two attempts a second per poller; a spinning one makes thousands
            assertThat(database.refusals("outbox-relay-poller")).as("pollers' connection attempts in %.1f s", downSeconds)
                    .isLessThanOrEqualTo(2 * (long) (2 * downSeconds + 6));
            assertThat(database.refusals("outbox-relay-leases")).as("lease thread's attempts in %.1f s", downSeconds)
                    .isLessThanOrEqualTo((long) (2 * downSeconds + 6));
            // each of the two pollers, the lease thread and the cleanup logs the outage once (then every 30 s)
            assertThat(log.containing("unreachable")).as("outage log lines").hasSizeBetween(1, 4);
            assertThat(kit.count("PENDING")).isEqualTo(writtenDuringOutage.size());

            database.up();
            kit.awaitDrained(WAIT);
            await().atMost(WAIT).until(() -> gauge(registry, "outbox.oldest.unpublished.age") == 0.0);
            assertThat(relay.state()).isEqualTo(RelayState.RUNNING);
            assertThat(kit.liveShardLeases(config.instanceId())).as("shards taken again").isEqualTo(64);
            assertThat(log.containing("reachable again")).as("recovery log lines").isNotEmpty();
        }
        Deliveries.of(kit.readTopic(topic, events.size(), WAIT))
                .assertEveryEventOnce(events.stream().map(OutboxEvent::id).toList())
                .assertFirstDeliveriesInOrder(10, 10);
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
