package dev.letterbox.relay.it;

import static dev.letterbox.relay.it.RelayTestKit.event;
import static dev.letterbox.relay.it.RelayTestKit.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.internal.ClaimedRow;
import dev.letterbox.relay.internal.PollingHooks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's acceptance suite, run against each database by a small subclass: delivery with the
 * record contract, order per aggregate across instances, a constant number of statements per
 * batch, and parking of poison events; the failure behaviour is in the parts it extends (fencing
 * and shutdown, database outage, cleanup).
 */
public abstract class AbstractRelayIT extends AbstractParkingAcceptance {

    @Test
    void deliversEveryEventWithTheRecordContract() throws Exception {
        String type = aggregateType("order");
        String topic = kit.kafka().createTopic("outbox.event." + type, 3);
        String override = kit.kafka().createTopic(kit.kafka().uniqueTopic("override"), 1);
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(OutboxEvent.builder().aggregateType(type).aggregateId("order-" + (i % 5)).eventType("OrderPlaced")
                    .payload(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .header("tenant", "acme").build());
        }
        OutboxEvent overridden = OutboxEvent.builder().aggregateType(type).aggregateId("order-x").eventType("Special")
                .payload("special".getBytes(StandardCharsets.UTF_8)).topic(override).build();
        events.add(overridden);
        kit.append(events);

        try (Relay relay = kit.relay(kit.config(instance("deliver")).build())) {
            relay.start();
            kit.awaitDrained(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.metrics().oldestUnpublishedAge() == 0.0);
        }

        List<ConsumerRecord<byte[], byte[]>> records = kit.readTopic(topic, 30, Duration.ofSeconds(20));
        assertThat(records).hasSize(30);
        Map<String, OutboxEvent> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.id().toString(), e));
        for (ConsumerRecord<byte[], byte[]> r : records) {
            OutboxEvent e = byId.get(header(r, "id"));
            assertThat(e).as("record with id header %s", header(r, "id")).isNotNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.aggregateId());
            assertThat(r.value()).isEqualTo(e.payload());
            assertThat(header(r, "type")).isEqualTo("OrderPlaced");
            assertThat(header(r, "aggregatetype")).isEqualTo(type);
            assertThat(header(r, "traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            assertThat(header(r, "tenant")).isEqualTo("acme");
            assertThat(r.headers().toArray()[0].key()).isEqualTo("id");
        }
        List<ConsumerRecord<byte[], byte[]>> special = kit.readTopic(override, 1, Duration.ofSeconds(20));
        assertThat(special).hasSize(1);
        assertThat(header(special.get(0), "id")).isEqualTo(overridden.id().toString());
        assertThat(header(special.get(0), "type")).isEqualTo("Special");
        assertThat(kit.count("PUBLISHED")).isEqualTo(31);
    }

    @ParameterizedTest(name = "balance {0}")
    @ValueSource(strings = {"spread", "packed"})
    void keepsOrderPerAggregateWithThreeInstancesStartingAndStopping(String balance) throws Exception {
        String type = aggregateType("account");
        String topic = kit.kafka().createTopic("outbox.event." + type, 4);
        int aggregates = 64;
        int perAggregate = 200;
        Thread writer = new Thread(() -> {
            try {
                for (int round = 0; round < perAggregate; round++) {
                    List<OutboxEvent> tx = new ArrayList<>(aggregates);
                    for (int a = 0; a < aggregates; a++) {
                        tx.add(event(type, "acct-" + a, "Changed", Integer.toString(round)));
                    }
                    kit.append(tx);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-writer");
        writer.start();

        List<Relay> running = new ArrayList<>();
        try {
            Relay a = start(running, "order-a", balance);
            await().atMost(Duration.ofSeconds(30)).until(() -> kit.count("PUBLISHED") >= 1500);
            Relay b = start(running, "order-b", balance);
            Relay c = start(running, "order-c", balance);
            await().atMost(Duration.ofSeconds(30)).until(() -> kit.count("PUBLISHED") >= 5000);
            a.close();
            running.remove(a);
            await().atMost(Duration.ofSeconds(30)).until(() -> kit.count("PUBLISHED") >= 8000);
            b.close();
            running.remove(b);
            start(running, "order-d", balance);
            writer.join(120_000);
            kit.awaitDrained(Duration.ofSeconds(60));
            assertThat(c.state()).isEqualTo(dev.letterbox.relay.RelayState.RUNNING);
            if ("packed".equals(balance)) {
                assertThat(running.stream().mapToLong(r -> shardsOf(r.config().instanceId())).sorted().toArray())
                        .as("shards of the two instances left, packed").containsExactly(0L, 64L);
            }
        } finally {
            running.forEach(Relay::close);
        }

        int total = aggregates * perAggregate;
        List<ConsumerRecord<byte[], byte[]>> records = kit.readTopic(topic, total, Duration.ofSeconds(60));
        Map<String, List<Integer>> firstSeen = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        records.sort((x, y) -> x.partition() != y.partition() ? Integer.compare(x.partition(), y.partition())
                : Long.compare(x.offset(), y.offset()));
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (ids.add(header(r, "id"))) {
                firstSeen.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(ids).as("every event delivered").hasSize(total);
        assertThat(firstSeen).hasSize(aggregates);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perAggregate; i++) {
            expected.add(i);
        }
        firstSeen.forEach((key, seen) -> assertThat(seen).as("events of %s in commit order", key).isEqualTo(expected));
        System.out.printf("order test: records=%d unique=%d duplicates=%d%n", records.size(), ids.size(),
                records.size() - ids.size());
    }

    private Relay start(List<Relay> running, String hint, String balance) {
        Relay relay = kit.relay(kit.config(instance(hint)).polling(kit.polling().balance(balance)
                .leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).batchSize(200).build()).build());
        relay.start();
        running.add(relay);
        return relay;
    }

    @Test
    void usesTwoStatementsPerBatchWhateverItsSize() throws Exception {
        assumeTrue("mark".equals(kit.mode()), "mark mode's claim and mark; log mode has its own test");
        String type = aggregateType("stmt");
        kit.kafka().createTopic("outbox.event." + type, 2);
        for (int batchSize : new int[] {50, 500}) {
            kit.update("DELETE FROM outbox_event");
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(event(type, "agg-" + (i % 37), "T", "p" + i));
            }
            kit.append(events);
            CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
            RelayConfig config = kit.config(instance("stmt")).polling(kit.polling().workers(1)
                    .batchSize(batchSize).leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build())
                    .build();
            try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
                relay.start();
                kit.awaitDrained(Duration.ofSeconds(30));
            }
            List<CountingDataSource.Execution> batchStatements = counting.executions().stream()
                    .filter(e -> e.thread.startsWith("outbox-relay-poller"))
                    .filter(e -> !(e.isQuery() && e.rows.get() == 0))
                    .toList();
            int batches = 1000 / batchSize;
            // claims ahead (outbox-relay-poller-0-claims) and marks (outbox-relay-poller-0-marks) overlap
            // the next batch, so they interleave in any order; each is one statement per batch
            assertThat(batchStatements).as("statements of %d batches of %d", batches, batchSize).hasSize(2 * batches);
            List<CountingDataSource.Execution> claims = batchStatements.stream().filter(e -> e.isQuery()).toList();
            List<CountingDataSource.Execution> marks = batchStatements.stream().filter(e -> !e.isQuery()).toList();
            assertThat(claims).as("claims").hasSize(batches).allSatisfy(e -> assertThat(e.rows.get()).isEqualTo(batchSize));
            assertThat(marks).as("marks").hasSize(batches).allSatisfy(e -> {
                assertThat(e.sql).contains("PUBLISHED");
                assertThat(e.rows.get()).isEqualTo(batchSize);
            });
        }
    }

    @Test
    void readIntervalSendsASteadyTrickleInFewClaimsWhateverTheWakeUps() throws Exception {
        // regression (issue 13): at a steady rate every event cost a claim of its own; with
        // relay.polling.read-interval the events committed meanwhile go out together, and a wake-up
        // after each commit (as the Spring starter sends) does not cut the interval short
        String type = aggregateType("trickle");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        Duration interval = Duration.ofMillis(200);
        CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
        RelayConfig config = kit.config(instance("trickle")).polling(kit.polling().workers(1).readInterval(interval)
                .leaseTtl(Duration.ofSeconds(30)).build()).build();
        List<UUID> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
            kit.startOwningAllShards(relay, config.instanceId());
            kit.append(List.of(event(type, "warm-up", "T", "first")));
            kit.readTopic(topic, 1, Duration.ofSeconds(30));
            counting.clear();
            long start = System.nanoTime();
            java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor();
            try {
                java.util.concurrent.ScheduledFuture<?> ticks = writer.scheduleAtFixedRate(() -> {
                    try {
                        if (ids.size() < 40) {
                            ids.addAll(kit.append(List.of(event(type, "agg-" + ids.size() % 3, "T", "p" + ids.size()))));
                            relay.wakeUp();
                        }
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() == 40);
                ticks.cancel(false);
            } finally {
                writer.shutdown();
            }
            List<ConsumerRecord<byte[], byte[]>> records = kit.readTopic(topic, 41, Duration.ofSeconds(30));
            double elapsedIntervals = (System.nanoTime() - start) / (double) interval.toNanos();
            assertThat(records.stream().skip(1).map(r -> header(r, "id")).toList()).as("every event once, in order")
                    .containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
            // claims, plus in log mode a position store at most every flush interval (200 ms, as the read interval)
            long statements = counting.executions().stream()
                    .filter(e -> e.thread.startsWith("outbox-relay-poller-0") && !e.thread.endsWith("-marks")).count();
            assertThat((double) statements)
                    .as("poller statements while 40 events arrived over %.1f read intervals", elapsedIntervals)
                    .isLessThanOrEqualTo(2 * elapsedIntervals + 3);
        }
    }

    @Test
    void claimsTheNextBatchWhileTheLastIsMarkedWithoutSendingItsRowsAgain() throws Exception {
        assumeTrue("mark".equals(kit.mode()), "mark mode marks on a helper thread; log mode stores positions in line");
        String type = aggregateType("overlap");
        String topic = kit.kafka().createTopic("outbox.event." + type, 2);
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event(type, "agg-" + (i % 7), "T", "p" + i));
        }
        List<UUID> ids = kit.append(events);
        GatedMarks gate = new GatedMarks();
        RelayConfig config = kit.config(instance("overlap")).polling(kit.polling().workers(1).batchSize(10)
                .leaseTtl(Duration.ofSeconds(30)).build()).build();
        try (Relay relay = kit.relay(config, kit.db().dataSource(), gate)) {
            relay.start();
            gate.awaitWaiting(Duration.ofSeconds(30));
            // the first batch's mark waits at the gate, its rows still PENDING: the poller goes on with
            // the second batch, whose claim leaves the first batch's rows out, and then waits for the mark
            List<ConsumerRecord<byte[], byte[]>> whileMarking = kit.readTopic(topic, 20, Duration.ofSeconds(30));
            assertThat(whileMarking.stream().map(r -> header(r, "id")).toList()).as("ids sent while the first mark waits")
                    .hasSize(20).doesNotHaveDuplicates();
            assertThat(kit.count("PENDING")).isEqualTo(30);
            gate.open();
            kit.awaitDrained(Duration.ofSeconds(30));
        }
        List<ConsumerRecord<byte[], byte[]>> all = kit.readTopic(topic, 30, Duration.ofSeconds(30));
        assertThat(all.stream().map(r -> header(r, "id")).toList()).as("every event once")
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
    }

    @Test
    void parksPoisonEventsAndHoldsBackTheirAggregates() throws Exception {
        String type = aggregateType("poison");
        String topic = "outbox.event." + type;
        kit.kafka().createTopic(topic, 1);
        String dlq = kit.kafka().createTopic(kit.kafka().uniqueTopic("dlq"), 1);
        byte[] incompressible = new byte[8 * 1024];
        new java.util.Random(7).nextBytes(incompressible);
        OutboxEvent tooLarge = OutboxEvent.builder().aggregateType(type).aggregateId("a-1").eventType("Big")
                .payload(incompressible).build();
        OutboxEvent afterTooLarge = event(type, "a-1", "After", "held back");
        OutboxEvent other = event(type, "b-1", "Fine", "ok");
        kit.append(List.of(tooLarge, afterTooLarge, other));
        UUID invalidTopic = UUID.randomUUID();
        kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, topic) VALUES ("
                + (kit.db().kind().name().equals("POSTGRES") ? "?::uuid" : "?") + ", ?, ?, ?, ?, ?)",
                invalidTopic.toString(), type, "c-1", "Bad", "x".getBytes(StandardCharsets.UTF_8), "bad topic name!");
        OutboxEvent afterInvalid = event(type, "d-1", "Fine", "ok");
        kit.append(List.of(afterInvalid));

        // the producer refuses records above max.request.size: a record too large for Kafka
        RelayConfig base = kit.config(instance("poison")).build();
        Map<String, String> producer = new HashMap<>(base.kafka().producer());
        producer.put("max.request.size", "4096");
        RelayConfig config = base.toBuilder().deadLetterTopic(dlq)
                .kafka(new dev.letterbox.relay.KafkaConfig(base.kafka().bootstrapServers(), producer))
                .retry(RetryConfig.builder().initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100))
                        .maxAttempts(2).build()).build();
        try (Relay relay = kit.relay(config)) {
            relay.start();
            // log mode parks the held-back event too (its position cannot wait), saying why
            boolean log = "log".equals(kit.mode());
            await().atMost(Duration.ofSeconds(30)).until(() -> kit.count("PARKED") == (log ? 3 : 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(kit.row(other.id()).get("status"))
                    && "PUBLISHED".equals(kit.row(afterInvalid.id()).get("status")));
            assertThat(kit.row(tooLarge.id())).containsEntry("status", "PARKED").containsEntry("attempts", 2);
            assertThat((String) kit.row(tooLarge.id()).get("last_error")).contains("RecordTooLargeException");
            assertThat(kit.row(invalidTopic)).containsEntry("status", "PARKED");
            assertThat((String) kit.row(invalidTopic).get("last_error")).contains("InvalidTopicException");
            // HOLD_AGGREGATE: the later event of the parked aggregate waits
            if (log) {
                assertThat(kit.row(afterTooLarge.id())).containsEntry("status", "PARKED");
                assertThat((String) kit.row(afterTooLarge.id()).get("last_error")).startsWith("held back");
            } else {
                assertThat(kit.row(afterTooLarge.id())).containsEntry("status", "PENDING");
            }
        }
        // and it never reached Kafka ahead of its parked predecessor (regression: it was sent, and acked,
        // on every attempt of the refused event before that one was parked)
        assertThat(kit.readTopic(topic, 2, Duration.ofSeconds(20))).extracting(r -> header(r, "id"))
                .containsExactlyInAnyOrder(other.id().toString(), afterInvalid.id().toString());
        List<ConsumerRecord<byte[], byte[]>> dead = kit.readTopic(dlq, 2, Duration.ofSeconds(20));
        assertThat(dead).extracting(r -> header(r, "id"))
                .containsExactlyInAnyOrder(tooLarge.id().toString(), invalidTopic.toString());
        assertThat(dead).allSatisfy(r -> assertThat(header(r, "error")).isNotBlank());
        assertThat(dead).allSatisfy(r -> assertThat(header(r, "original-topic")).isNotBlank());
        // the copy of a record too large for Kafka goes without its payload, saying so
        ConsumerRecord<byte[], byte[]> bigCopy = dead.stream()
                .filter(r -> header(r, "id").equals(tooLarge.id().toString())).findFirst().orElseThrow();
        assertThat(bigCopy.value()).isNull();
        assertThat(header(bigCopy, "payload-omitted")).contains("8192 bytes");
        ConsumerRecord<byte[], byte[]> badTopicCopy = dead.stream()
                .filter(r -> header(r, "id").equals(invalidTopic.toString())).findFirst().orElseThrow();
        assertThat(badTopicCopy.value()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(header(badTopicCopy, "original-topic")).isEqualTo("bad topic name!");
    }

    @Test
    void parksARowWhoseHeadersAreNotAJsonObjectAndGoesOn() throws Exception {
        // regression: a plain-SQL row with unreadable headers made every claim of its shards fail, and the
        // relay reported the database unreachable for ever instead of parking the row
        String type = aggregateType("badheaders");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        UUID broken = UUID.randomUUID();
        boolean pg = kit.db().kind().name().equals("POSTGRES");
        kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, headers) VALUES ("
                + (pg ? "?::uuid" : "?") + ", ?, ?, ?, ?, " + (pg ? "?::jsonb" : "?") + ")",
                broken.toString(), type, "h-1", "Broken", "x".getBytes(StandardCharsets.UTF_8), "[\"not\", \"an object\"]");
        OutboxEvent sameAggregateLater = event(type, "h-1", "Later", "waits");
        OutboxEvent otherAggregate = event(type, "h-2", "Fine", "ok");
        kit.append(List.of(sameAggregateLater, otherAggregate));

        try (Relay relay = kit.relay(kit.config(instance("badheaders")).build())) {
            relay.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> "PARKED".equals(kit.row(broken).get("status"))
                    && "PUBLISHED".equals(kit.row(otherAggregate.id()).get("status")));
            assertThat((String) kit.row(broken).get("last_error")).contains("headers column").contains(broken.toString());
            assertThat(kit.row(broken)).containsEntry("attempts", 1);
            // log mode parks a held-back event (saying why); mark mode leaves it PENDING
            await().atMost(Duration.ofSeconds(10)).until(() -> kit.row(sameAggregateLater.id()).get("status")
                    .equals("log".equals(kit.mode()) ? "PARKED" : "PENDING"));
        }
        assertThat(kit.readTopic(topic, 1, Duration.ofSeconds(20))).extracting(r -> header(r, "id"))
                .containsExactly(otherAggregate.id().toString());
    }

    @Test
    void skipPolicyPublishesTheLaterEventsOfAParkedAggregate() throws Exception {
        String type = aggregateType("skip");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        UUID refused = UUID.randomUUID();
        kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, topic) VALUES ("
                + (kit.db().kind().name().equals("POSTGRES") ? "?::uuid" : "?") + ", ?, ?, ?, ?, ?)",
                refused.toString(), type, "s-1", "Bad", "x".getBytes(StandardCharsets.UTF_8), "bad topic name!");
        OutboxEvent later = event(type, "s-1", "Later", "goes on");
        kit.append(List.of(later));

        RelayConfig config = kit.config(instance("skip")).build().toBuilder()
                .parkedPolicy(dev.letterbox.relay.ParkedPolicy.SKIP)
                .retry(RetryConfig.builder().initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100))
                        .maxAttempts(2).build()).build();
        try (Relay relay = kit.relay(config)) {
            relay.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> "PARKED".equals(kit.row(refused).get("status"))
                    && "PUBLISHED".equals(kit.row(later.id()).get("status")));
        }
        // the later event went out only once its predecessor was parked, never while it was still retried
        assertThat(kit.readTopic(topic, 1, Duration.ofSeconds(20))).extracting(r -> header(r, "id"))
                .containsExactly(later.id().toString());
    }

    @Test
    void backlogGaugeCountsExactlyUpToItsCapAndReadsTheSeqSpanAbove() throws Exception {
        // regression: the gauge ran an exact count(*) of every PENDING row each interval, a 5 s scan per
        // instance at a 10M-row backlog; above 100,000 it now reads the span of the rows' seq numbers
        boolean pg = kit.db().kind().name().equals("POSTGRES");
        String later = pg ? "now() + interval '1 day'" : "NOW(6) + INTERVAL 1 DAY";
        String rows = pg ? "generate_series(1, 150000) g" : "seq_1_to_150000 g";
        // not due for a day: PENDING for the gauge, never claimed
        kit.update("INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload, next_attempt_at)"
                + " SELECT 'gauge', 'g', 'T', NULL, " + later + " FROM " + rows);
        // every fourth row gone: 112,500 PENDING rows spread over a span of about 150,000 seq numbers
        kit.update("DELETE FROM outbox_event WHERE MOD(seq, 4) = 0");
        long span = kit.scalar("SELECT max(seq) - min(seq) + 1 FROM outbox_event WHERE status = 'PENDING'");
        assertThat(span).isGreaterThan(140_000);
        RelayConfig config = kit.config(instance("gauge")).build().toBuilder()
                .metricsInterval(Duration.ofMillis(200)).build();
        // log mode reads rows whatever their next_attempt_at: its first batch is held after Kafka's
        // acks, so no position moves and the backlog stays put while the gauge is read
        CountDownLatch release = new CountDownLatch(1);
        PollingHooks holdAfterAcks = new PollingHooks() {
            @Override
            public void beforeMark(List<ClaimedRow> batch) {
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (Relay relay = kit.relay(config, kit.db().dataSource(), holdAfterAcks)) {
            try {
                relay.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.metrics().backlog() == (double) span);
                // under the cap the gauge is an exact count again
                kit.update("DELETE FROM outbox_event WHERE MOD(seq, 4) <> 1");
                long left = kit.count("PENDING");
                assertThat(left).isLessThan(100_000);
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.metrics().backlog() == (double) left);
            } finally {
                release.countDown();
            }
        }
    }
}
