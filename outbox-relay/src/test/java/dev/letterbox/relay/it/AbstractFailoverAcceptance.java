package dev.letterbox.relay.it;

import static dev.letterbox.relay.it.RelayTestKit.rounds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayState;
import dev.letterbox.relay.internal.ClaimedRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The fencing part of the acceptance suite: an instance frozen past its lease TTL (a GC pause, a
 * suspended VM) wakes up with a batch Kafka acknowledged and must not mark it, because its mark
 * statement checks the lease epoch; the new owner sends those events again with the same id. And
 * the clean hand-over: {@code close()} releases every lease at once and leaves no thread behind.
 * And {@code balance: packed}: one instance holds every shard, standbys take over from a frozen or
 * stopped one.
 */
abstract class AbstractFailoverAcceptance extends RelayFixture {

    private static final int AGGREGATES = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RelayConfig fencingConfig(String instanceId, int workers) {
        return kit.config(instanceId).polling(kit.polling().workers(workers).batchSize(50)
                .leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build()).build();
    }

    @Test
    void fencesOffAFrozenInstanceWhoseShardsWereTakenOver() throws Exception {
        String type = aggregateType("fence");
        String topic = kit.kafka().createTopic("outbox.event." + type, 3);
        List<OutboxEvent> events = new ArrayList<>(rounds(type, "acct", AGGREGATES, 0, 10));
        kit.append(events);
        FreezingHooks freeze = new FreezingHooks();
        GatedMarks gate = new GatedMarks();
        RelayConfig staleConfig = fencingConfig(instance("fence-stale"), 1);
        RelayConfig freshConfig = fencingConfig(instance("fence-fresh"), 2);
        List<ClaimedRow> staleBatch;
        try (Relay stale = kit.relay(staleConfig, kit.db().dataSource(), freeze);
             Relay fresh = kit.relay(freshConfig, kit.db().dataSource(), gate)) {
            try {
                stale.start();
                staleBatch = freeze.awaitFrozen(WAIT);
                assertThat(staleBatch).as("the frozen batch").isNotEmpty();

                fresh.start();
                // the frozen instance renews nothing: once its leases expired, the other takes every shard
                await().atMost(WAIT).until(() -> kit.liveShardLeases(freshConfig.instanceId()) == 64);
                // ... and sends a batch, which waits before its mark so that the rows stay PENDING
                gate.awaitWaiting(WAIT);

                freeze.thaw();
                int marked = freeze.awaitStaleMark(WAIT);
                assertThat(marked).as("rows marked by the frozen instance after its shards were taken over")
                        .isZero();
                for (ClaimedRow row : staleBatch) {
                    assertThat(kit.row(row.record().id())).as("row of the frozen batch")
                            .containsEntry("status", "PENDING");
                }

                gate.open();
                List<OutboxEvent> later = rounds(type, "acct", AGGREGATES, 10, 20);
                kit.append(later);
                events.addAll(later);
                kit.awaitDrained(WAIT);
            } finally {
                freeze.thaw();
                gate.open();
            }
        }
        assertThat(kit.statusCounts()).containsOnlyKeys("PUBLISHED");

        List<ConsumerRecord<byte[], byte[]>> records = kit.readTopic(topic, events.size() + staleBatch.size(), WAIT);
        Deliveries deliveries = Deliveries.of(records);
        deliveries.assertEveryEventOnce(events.stream().map(OutboxEvent::id).toList())
                .assertFirstDeliveriesInOrder(AGGREGATES, 20);
        for (ClaimedRow row : staleBatch) {
            assertThat(deliveries.count(row.record().id()))
                    .as("records with the id of event %s of the frozen batch (its send, then the new owner's)",
                            row.record().id())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void fencesOffAStaleBatchEvenWhenTheSameInstanceTookItsShardsBackWithNewEpochs() throws Exception {
        String type = aggregateType("epoch");
        String topic = kit.kafka().createTopic("outbox.event." + type, 2);
        List<OutboxEvent> events = rounds(type, "acct", AGGREGATES, 0, 5);
        kit.append(events);
        FreezingHooks freeze = new FreezingHooks();
        RelayConfig config = fencingConfig(instance("epoch"), 1);
        List<ClaimedRow> staleBatch;
        try (Relay relay = kit.relay(config, kit.db().dataSource(), freeze)) {
            try {
                relay.start();
                staleBatch = freeze.awaitFrozen(WAIT);
                Map<String, Long> before = kit.shardEpochs();
                await().atMost(WAIT).until(() -> kit.liveShardLeases(config.instanceId()) == 0);

                // the lease thread wakes first and takes the expired shards back: new epochs, same owner
                freeze.thawLeaseThread();
                await().atMost(WAIT).until(() -> kit.liveShardLeases(config.instanceId()) == 64);
                Map<String, Long> after = kit.shardEpochs();
                before.forEach((shard, epoch) -> assertThat(after.get(shard)).as("epoch of %s", shard)
                        .isGreaterThan(epoch));

                freeze.thawPoller();
                assertThat(freeze.awaitStaleMark(WAIT)).as("rows marked with the epochs of the frozen batch")
                        .isZero();
                kit.awaitDrained(WAIT);
            } finally {
                freeze.thaw();
            }
        }
        List<UUID> ids = events.stream().map(OutboxEvent::id).toList();
        Deliveries deliveries = Deliveries.of(kit.readTopic(topic, events.size() + staleBatch.size(), WAIT))
                .assertEveryEventOnce(ids).assertFirstDeliveriesInOrder(AGGREGATES, 5);
        for (ClaimedRow row : staleBatch) {
            assertThat(deliveries.count(row.record().id())).as("deliveries of %s", row.record().id())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * Regression: a second process with the same instance id (a restart that reuses the id while the
     * old process still runs) took the live leases with the old process's epochs, so both could mark
     * the same rows. It now takes them with new epochs, fencing the old process off.
     */
    @Test
    void fencesOffAnEarlierProcessThatUsesTheSameInstanceId() throws Exception {
        String type = aggregateType("sameid");
        String topic = kit.kafka().createTopic("outbox.event." + type, 2);
        List<OutboxEvent> events = rounds(type, "acct", AGGREGATES, 0, 5);
        kit.append(events);
        FreezingHooks freeze = new FreezingHooks();
        String id = instance("sameid");
        // a lease TTL far longer than the test's steps: the old process's leases stay live throughout
        RelayConfig config = kit.config(id).polling(kit.polling().workers(1).batchSize(50)
                .leaseTtl(Duration.ofSeconds(30)).idleBackoffMax(Duration.ofMillis(50)).build()).build();
        List<ClaimedRow> staleBatch;
        try (Relay old = kit.relay(config, kit.db().dataSource(), freeze)) {
            try {
                old.start();
                staleBatch = freeze.awaitFrozen(WAIT);
                Map<String, Long> before = kit.shardEpochs();
                assertThat(kit.liveShardLeases(id)).isEqualTo(64);
                try (Relay restarted = kit.relay(config)) {
                    restarted.start();
                    await().atMost(WAIT).until(() -> {
                        Map<String, Long> now = kit.shardEpochs();
                        return before.entrySet().stream().allMatch(e -> now.get(e.getKey()) > e.getValue());
                    });
                    freeze.thawPoller();
                    assertThat(freeze.awaitStaleMark(WAIT)).as("rows marked by the earlier process").isZero();
                    kit.awaitDrained(WAIT);
                }
            } finally {
                freeze.thaw();
            }
        }
        List<UUID> ids = events.stream().map(OutboxEvent::id).toList();
        Deliveries.of(kit.readTopic(topic, events.size() + staleBatch.size(), WAIT))
                .assertEveryEventOnce(ids).assertFirstDeliveriesInOrder(AGGREGATES, 5);
    }

    @Test
    void closeIsIdempotentBoundedAndHandsEveryLeaseOverAtOnce() throws Exception {
        String type = aggregateType("close");
        kit.kafka().createTopic("outbox.event." + type, 2);
        // renewal every 3 s: a lease left to expire would block the takeover for 6 s or more after close
        Duration ttl = Duration.ofSeconds(9);
        PollingConfig polling = kit.polling().leaseTtl(ttl).idleBackoffMax(Duration.ofMillis(50)).build();
        RelayConfig first = kit.config(instance("close-a")).polling(polling).build();
        RelayConfig second = kit.config(instance("close-b")).polling(polling).build();
        List<OutboxEvent> events = rounds(type, "acct", AGGREGATES, 0, 50);
        kit.append(events.subList(0, 500));
        Set<Thread> threadsBefore = Threads.alive();
        Relay a = kit.relay(first);
        Relay b = kit.relay(second);
        try {
            a.start();
            await().atMost(WAIT).until(() -> first.instanceId().equals(kit.liveOwner("cleanup")));
            b.start();
            await().atMost(WAIT).until(() -> kit.liveShardLeases(second.instanceId()) > 0
                    && kit.liveShardLeases(first.instanceId()) + kit.liveShardLeases(second.instanceId()) == 64);
            kit.append(events.subList(500, events.size()));

            long start = System.nanoTime();
            a.close();
            long closeMs = (System.nanoTime() - start) / 1_000_000;
            // bounded: the in-flight batch and the producer's close, far below the 15 s a stuck poller costs
            assertThat(closeMs).as("close() under load, ms").isLessThan(10_000);
            assertThat(a.state()).isEqualTo(RelayState.STOPPED);
            assertThat(kit.liveLeases(first.instanceId())).as("leases (shards, membership, cleanup) held after close()")
                    .isZero();
            long again = System.nanoTime();
            a.close();
            assertThat((System.nanoTime() - again) / 1_000_000).as("second close(), ms").isLessThan(1_000);
            assertThat(a.state()).isEqualTo(RelayState.STOPPED);
            assertThat(a.health().state()).isEqualTo(RelayState.STOPPED);

            await().atMost(ttl).until(() -> kit.liveShardLeases(second.instanceId()) == 64
                    && second.instanceId().equals(kit.liveOwner("cleanup")));
            long takeoverMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(takeoverMs).as("from close() to the other instance owning every shard and the cleanup, ms")
                    .isLessThan(6_000);
            kit.awaitDrained(WAIT);
        } finally {
            a.close();
            b.close();
        }
        assertThat(b.state()).isEqualTo(RelayState.STOPPED);
        Threads.awaitNoneLeftSince(threadsBefore, List.of("outbox-relay", first.instanceId(), second.instanceId()));
    }

    @Test
    void packedBalanceKeepsEveryShardOnOneInstanceAndAStandbyTakesOverFromAFrozenOrStoppedOne() throws Exception {
        String type = aggregateType("packed");
        String topic = kit.kafka().createTopic("outbox.event." + type, 3);
        FreezingHooks freeze = new FreezingHooks();
        CycleCount cyclesB = new CycleCount();
        CycleCount cyclesC = new CycleCount();
        RelayConfig aConfig = packedConfig(instance("packed-a"));
        RelayConfig bConfig = packedConfig(instance("packed-b"));
        RelayConfig cConfig = packedConfig(instance("packed-c"));
        List<String> standbys = List.of(bConfig.instanceId(), cConfig.instanceId());
        List<OutboxEvent> events = new ArrayList<>();
        List<ClaimedRow> staleBatch;
        try (Relay a = kit.relay(aConfig, kit.db().dataSource(), freeze);
             Relay b = kit.relay(bConfig, kit.db().dataSource(), cyclesB);
             Relay c = kit.relay(cConfig, kit.db().dataSource(), cyclesC)) {
            try {
                a.start();
                await().atMost(WAIT).until(() -> kit.liveShardLeases(aConfig.instanceId()) == 64);
                b.start();
                c.start();
                // two whole lease cycles each: the newcomers saw the active instance and took nothing from it
                int bStart = cyclesB.get();
                int cStart = cyclesC.get();
                await().atMost(WAIT).until(() -> cyclesB.get() >= bStart + 3 && cyclesC.get() >= cStart + 3);
                assertThat(kit.liveShardLeases(aConfig.instanceId())).as("shards of the active instance").isEqualTo(64);
                assertThat(kit.liveShardLeases(bConfig.instanceId()) + kit.liveShardLeases(cConfig.instanceId()))
                        .as("shards of the standbys").isZero();

                // the active instance freezes in its first batch and stops renewing: one standby takes every shard
                events.addAll(rounds(type, "acct", AGGREGATES, 0, 10));
                kit.append(events);
                staleBatch = freeze.awaitFrozen(WAIT);
                await().atMost(WAIT).until(() -> standbys.stream().anyMatch(id -> shardsOf(id) == 64));
                String next = standbys.stream().filter(id -> shardsOf(id) == 64).findFirst().orElseThrow();
                String other = next.equals(bConfig.instanceId()) ? cConfig.instanceId() : bConfig.instanceId();
                assertThat(kit.liveShardLeases(other)).as("shards of the other standby").isZero();

                // thawed, the old active instance is fenced off and stands by
                freeze.thaw();
                assertThat(freeze.awaitStaleMark(WAIT)).as("rows marked by the frozen instance after the takeover")
                        .isZero();
                kit.awaitDrained(WAIT);
                List<OutboxEvent> later = rounds(type, "acct", AGGREGATES, 10, 20);
                kit.append(later);
                events.addAll(later);
                kit.awaitDrained(WAIT);
                assertThat(kit.liveShardLeases(aConfig.instanceId())).as("shards of the thawed instance").isZero();
                assertThat(kit.liveShardLeases(next)).as("shards of the new active instance").isEqualTo(64);

                // a clean stop hands every shard to one of the two left
                (next.equals(bConfig.instanceId()) ? b : c).close();
                List<String> left = List.of(aConfig.instanceId(), other);
                await().atMost(WAIT).until(() -> left.stream().anyMatch(id -> shardsOf(id) == 64));
                List<OutboxEvent> last = rounds(type, "acct", AGGREGATES, 20, 30);
                kit.append(last);
                events.addAll(last);
                kit.awaitDrained(WAIT);
                assertThat(left.stream().mapToLong(this::shardsOf).sorted().toArray()).as("shards of the two left")
                        .containsExactly(0L, 64L);
            } finally {
                freeze.thaw();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = kit.readTopic(topic, events.size() + staleBatch.size(), WAIT);
        Deliveries.of(records).assertEveryEventOnce(events.stream().map(OutboxEvent::id).toList())
                .assertFirstDeliveriesInOrder(AGGREGATES, 30);
    }

    /** The live shard leases {@code instanceId} holds (for use in lambdas and streams). */
    protected long shardsOf(String instanceId) {
        try {
            return kit.liveShardLeases(instanceId);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private RelayConfig packedConfig(String instanceId) {
        return kit.config(instanceId).polling(kit.polling().balance("packed").batchSize(50)
                .leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build()).build();
    }

    /** Counts an instance's lease cycles. */
    private static final class CycleCount implements dev.letterbox.relay.internal.PollingHooks {
        private final java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void beforeLeaseCycle() {
            cycles.incrementAndGet();
        }

        int get() {
            return cycles.get();
        }
    }
}
