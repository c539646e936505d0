package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.internal.PollingHooks;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance suite on PostgreSQL in log mode ({@code relay.polling.mode: log}): the same
 * guarantees as mark mode (delivery, order per aggregate with instances coming and going, kill and
 * freeze, fencing, outages, parking), with "published" read from the shard positions, plus what
 * only log mode does.
 */
class PostgresLogModeRelayIT extends AbstractRelayIT {

    @Override
    protected TestDatabase createDatabase() {
        return PostgresServer.shared().createDatabase("PostgresLogModeRelayIT");
    }

    @Override
    protected String mode() {
        return "log";
    }

    @Test
    void readsEachBatchInOneStatementAndNeverUpdatesAnEventRow() throws Exception {
        String type = aggregateType("logstmt");
        kit.kafka().createTopic("outbox.event." + type, 2);
        for (int batchSize : new int[] {50, 500}) {
            kit.update("DELETE FROM outbox_event");
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(RelayTestKit.event(type, "agg-" + (i % 37), "T", "p" + i));
            }
            kit.append(events);
            CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
            RelayConfig config = kit.config(instance("logstmt")).polling(kit.polling().workers(1)
                    .batchSize(batchSize).leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build())
                    .build();
            try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
                relay.start();
                kit.awaitDrained(Duration.ofSeconds(30));
            }
            List<CountingDataSource.Execution> poller = counting.executions().stream()
                    .filter(e -> e.thread.startsWith("outbox-relay-poller")).toList();
            int batches = 1000 / batchSize;
            List<CountingDataSource.Execution> reads = poller.stream()
                    .filter(e -> e.sql.contains("LATERAL") && e.rows.get() > 1).toList();
            assertThat(reads).as("reads that returned rows, batches of %d", batchSize).hasSize(batches);
            assertThat(poller.stream().filter(e -> e.sql.matches("(?s)\\s*(UPDATE|DELETE|INSERT)\\b.*")
                    && e.sql.contains("outbox_event")))
                    .as("statements that change event rows").isEmpty();
            assertThat(poller.stream().filter(e -> e.sql.contains("position") && e.sql.startsWith("UPDATE")).count())
                    .as("position stores: at most one per batch, plus the first positions and the last")
                    .isLessThanOrEqualTo(batches + 2);
            assertThat(kit.longQuery("SELECT count(*) FROM outbox_event WHERE status <> 'PENDING'")).isZero();
        }
    }

    @Test
    void anIdleInstanceReadsThroughOnePollerAndWakesTheOthersWhenTheSequenceMoves() throws Exception {
        // regression (issue 13): an idle instance read once per idle backoff in every poller; now the
        // sentinel (poller 0) reads, the others doze and are woken when a read sees the sequence move
        String type = aggregateType("doze");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        Duration backoffMax = Duration.ofMillis(500);
        Duration doze = Duration.ofSeconds(5); // ten idle backoffs
        CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
        RelayConfig config = kit.config(instance("doze")).polling(kit.polling().workers(4).idleBackoffMax(backoffMax)
                .leaseTtl(Duration.ofSeconds(30)).build()).build();
        try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
            kit.startOwningAllShards(relay, config.instanceId());
            counting.clear();
            long idleFrom = System.nanoTime();
            // idle for twenty of the sentinel's reads (about ten seconds)
            await().atMost(Duration.ofSeconds(60)).until(() -> reads(counting, 0) >= 20);
            long sentinel = reads(counting, 0);
            double dozes = (System.nanoTime() - idleFrom) / (double) doze.toNanos();
            for (int poller = 1; poller < 4; poller++) {
                // the backoff grows 1, 3, 7 ... 500 ms (nine reads), then one read per doze
                assertThat((double) reads(counting, poller))
                        .as("reads of dozing poller %d while the sentinel read %d times", poller, sentinel)
                        .isLessThanOrEqualTo(9 + Math.ceil(dozes) + 1);
            }
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(RelayTestKit.event(type, "agg-" + i, "T", "p" + i));
            }
            long appended = System.nanoTime();
            List<java.util.UUID> ids = kit.append(events);
            assertThat(kit.longQuery("SELECT count(DISTINCT MOD(shard, 4)) FROM outbox_event WHERE aggregatetype = ?",
                    type)).as("the events land on every poller's shards").isEqualTo(4);
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
                    kit.readTopic(topic, 40, Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - appended);
            assertThat(records.stream().map(r -> RelayTestKit.header(r, "id")).toList()).as("every event once")
                    .containsExactlyInAnyOrderElementsOf(ids.stream().map(java.util.UUID::toString).toList());
            assertThat(took).as("the dozing pollers were woken, not left to their %s doze", doze)
                    .isLessThan(doze.minusSeconds(1));
        }
    }

    @Test
    void withListenNotifyEveryPollerDozesAndTheOutboxsNotifyWakesThem() throws Exception {
        // issue 13: an idle relay that listens costs about one read a second (the sentinel's; the other pollers
        // doze ten times longer), and a writer whose outbox notifies (notifyRelay) still gets its event out at once
        String type = aggregateType("notify");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        Duration doze = Duration.ofSeconds(5); // ten idle backoffs of 500 ms
        CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
        RelayConfig config = kit.config(instance("notify")).polling(kit.polling().workers(2)
                .idleBackoffMax(Duration.ofMillis(500)).listenNotify(true).leaseTtl(Duration.ofSeconds(30)).build())
                .build();
        try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
            kit.startOwningAllShards(relay, config.instanceId());
            counting.clear();
            long idleFrom = System.nanoTime();
            // the backoff grows 1, 3, 7 ... 500 ms (nine reads), then each poller reads once per doze: wait for
            // a second doze read of poller 0
            await().atMost(Duration.ofSeconds(60)).until(() -> reads(counting, 0) >= 11);
            double dozes = (System.nanoTime() - idleFrom) / (double) doze.toNanos();
            assertThat(dozes).as("poller 0, the sentinel, dozed too: its eleventh read came after about two dozes")
                    .isGreaterThan(1.5);
            assertThat(reads(counting, 1)).as("poller 1 dozes ten times longer than the sentinel: no read since its"
                    + " backoff reached the maximum").isLessThanOrEqualTo(10);
            Outbox notifying = Outbox.builder().notifyRelay(Duration.ofMillis(10)).build();
            long appended = System.nanoTime();
            java.util.UUID id;
            try (java.sql.Connection c = kit.db().dataSource().getConnection()) {
                c.setAutoCommit(false);
                OutboxEvent e = RelayTestKit.event(type, "a-1", "T", "woken");
                notifying.append(c, e);
                c.commit();
                id = e.id();
            }
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
                    kit.readTopic(topic, 1, Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - appended);
            assertThat(RelayTestKit.header(records.get(0), "id")).isEqualTo(id.toString());
            assertThat(took).as("the NOTIFY woke the pollers, not their %s doze", doze).isLessThan(doze.minusSeconds(2));
        }
    }

    @Test
    void aReadFirstRunOnAnEmptyTableStaysFastOnceTheTableFills() throws Exception {
        // regression: the read kept PostgreSQL's generic plan, cached while the table was empty, with
        // sequential scans for the window's rows and for every row's parked-predecessor test: 1.7 to 3 s
        // per read on a 25,000-row table until autoanalyze invalidated the plan (never, where autovacuum
        // is off)
        String type = aggregateType("emptyplan");
        kit.kafka().createTopic("outbox.event." + type, 2);
        kit.update("DELETE FROM outbox_event");
        kit.update("ANALYZE outbox_event");
        CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
        RelayConfig config = kit.config(instance("emptyplan")).polling(kit.polling().workers(1)
                .idleBackoffMax(Duration.ofMillis(10)).leaseTtl(Duration.ofSeconds(30)).build()).build();
        try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
            relay.start();
            // enough reads on the empty table for the driver to prepare the statement on the server and for
            // PostgreSQL to settle on a plan
            await().atMost(Duration.ofSeconds(60)).until(() -> reads(counting, 0) >= 30);
            kit.update("INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload)"
                    + " SELECT ?, 'a-' || (g % 500), 'T', convert_to('p' || g, 'UTF8') FROM generate_series(1, 30000) g",
                    type);
            long filled = System.nanoTime();
            kit.awaitDrained(Duration.ofSeconds(120));
            Duration took = Duration.ofNanos(System.nanoTime() - filled);
            assertThat(took).as("30,000 events read by a statement first planned on the empty table")
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    private static long reads(CountingDataSource counting, int poller) {
        return counting.executions().stream()
                .filter(e -> e.thread.equals("outbox-relay-poller-" + poller) && e.sql.contains("LATERAL")).count();
    }
}
