package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import dev.letterbox.relay.service.internal.EventFilter;
import dev.letterbox.relay.service.internal.OutboxQueries;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CDC acceptance suite, run against each database by a small subclass. */
abstract class AbstractCdcIT {

    static final Duration ARRIVAL = Duration.ofSeconds(60);

    CdcFixture f;

    /** A fresh database on a server that can do CDC, or a skipped test. */
    abstract TestDatabase database(String hint);

    /** Adjusts the fixture for the database (e.g. a CDC user with a password on MariaDB). */
    void prepare(CdcFixture fixture) throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new CdcFixture(database(getClass().getSimpleName()));
        prepare(f);
    }

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    static Set<String> ids(List<OutboxEvent> events) {
        return events.stream().map(e -> e.id().toString()).collect(Collectors.toSet());
    }

    @Test
    void publishesTableModeEventsWithTheRecordContractAndMarksThemPublished() throws Exception {
        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.TABLE, f.events("o-1", 0, 5));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        ConsumerRecord<byte[], byte[]> first = f.received().stream()
                .filter(r -> events.get(0).id().toString().equals(CdcFixture.header(r, "id"))).findFirst().orElseThrow();
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("o-1");
        assertThat(first.value()).isEqualTo(events.get(0).payload());
        assertThat(CdcFixture.header(first, "type")).isEqualTo("Placed");
        assertThat(CdcFixture.header(first, "aggregatetype")).isEqualTo(f.aggregateType);
        assertThat(CdcFixture.header(first, "tenant")).isEqualTo("acme");
        List<String> order = f.received().stream().map(r -> CdcFixture.header(r, "id")).distinct().toList();
        assertThat(order).containsSubsequence(events.stream().map(e -> e.id().toString()).toList());
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 5);
    }

    @Test
    void publishesInsertAndDeleteEventsWhileTheTableStaysEmpty() throws Exception {
        f.startRelay("cdc-a", WriteMode.INSERT_AND_DELETE);
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.INSERT_AND_DELETE, f.events("o-2", 0, 20));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        assertThat(f.count("SELECT count(*) FROM outbox_event")).isZero();
        assertThat(f.received()).hasSize(20); // the deletes were not published
    }

    @Test
    void thousandEventTransactionArrivesCompletelyAcrossARestart() throws Exception {
        Relay first = f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.TABLE, f.events("o-3", 0, 1000));
        await().atMost(ARRIVAL).until(() -> !f.received().isEmpty());
        f.stop(first); // possibly in the middle of the transaction's events
        f.startRelay("cdc-b", WriteMode.TABLE);

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        assertThat(f.receivedIds()).hasSize(1000);
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 1000);
    }

    @Test
    void resumesFromOffsetsStoredInTheDatabaseWithoutLoss() throws Exception {
        Relay first = f.startRelay("cdc-a", WriteMode.INSERT_AND_DELETE);
        awaitStreaming();
        List<OutboxEvent> before = f.append(WriteMode.INSERT_AND_DELETE, f.events("o-4", 0, 50));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(before)));
        f.stop(first);
        assertThat(f.count("SELECT count(*) FROM outbox_event_cdc_offset")).isPositive();

        List<OutboxEvent> whileDown = f.append(WriteMode.INSERT_AND_DELETE, f.events("o-4", 50, 50));
        f.startRelay("cdc-b", WriteMode.INSERT_AND_DELETE);

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(whileDown)));
        // offsets were flushed on the clean stop: nothing before it is sent again
        assertThat(f.received()).hasSize(100);
    }

    /**
     * The marks are written behind the engine: a stop must wait for them before the engine's last
     * offset commit (which does not ask the commit policy), else that commit passes rows still PENDING.
     */
    @Test
    void cleanStopWritesTheMarksBeforeTheLastOffsetsAndSendsNothingAgain() throws Exception {
        Relay first = f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        List<OutboxEvent> before = f.append(WriteMode.TABLE, f.events("o-9", 0, 200));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(before)));
        f.stop(first);
        assertThat(f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'")).isEqualTo(200);

        List<OutboxEvent> after = f.append(WriteMode.TABLE, f.events("o-9", 200, 10));
        f.startRelay("cdc-b", WriteMode.TABLE);

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(after)));
        assertThat(f.received()).hasSize(210);
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 210);
    }

    @Test
    void standbyTakesOverWithinTheLeaseTtlWhenTheActiveInstanceDies() throws Exception {
        SwitchableDataSource aDb = new SwitchableDataSource(f.db.dataSource());
        Relay a = f.startRelay(f.config("cdc-a", WriteMode.TABLE).build(), aDb);
        awaitStreaming();
        Relay b = f.startRelay("cdc-b", WriteMode.TABLE);
        assertThat(b.health().strategy().details()).containsEntry("role", "standby");
        List<OutboxEvent> early = f.append(WriteMode.TABLE, f.events("o-5", 0, 10));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(early)));

        aDb.cutOff(); // instance a can no longer reach the database: it cannot renew its lease
        long cut = System.nanoTime();
        await().atMost(CdcFixture.LEASE_TTL.multipliedBy(3))
                .until(() -> "active".equals(b.health().strategy().details().get("role")));
        assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(CdcFixture.LEASE_TTL.multipliedBy(3));
        List<OutboxEvent> late = f.append(WriteMode.TABLE, f.events("o-5", 10, 10));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(late)));
        assertThat(a.health().strategy().details()).containsEntry("role", "standby");
    }

    /**
     * Regression (issue 10, item 2): an instance that lost the lease without noticing (frozen longer
     * than the TTL) published rows it could no longer mark; when it noticed, its engine's last offset
     * commit stored offsets (and moved the slot) past them, so the next active instance never read
     * them again and they stayed PENDING. The offset writes are now fenced with the lease epoch.
     */
    @Test
    void rowsPublishedByAnInstanceThatLostTheLeaseUnawareEndPublished() throws Exception {
        // a long TTL: instance a notices the takeover only at its next renewal, up to 10 s later
        Relay a = f.startRelay(f.config("cdc-a", WriteMode.TABLE)
                .polling(PollingConfig.builder().leaseTtl(Duration.ofSeconds(30)).build()).build());
        awaitStreaming();
        List<OutboxEvent> before = f.append(WriteMode.TABLE, f.events("o-f", 0, 5));
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 5);

        f.execute("UPDATE outbox_lease SET owner = 'cdc-elsewhere', epoch = epoch + 1 WHERE name = 'cdc'");
        List<OutboxEvent> unaware = f.append(WriteMode.TABLE, f.events("o-f", 5, 20));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(unaware)));
        assertThat(f.count("SELECT count(*) FROM outbox_event WHERE status = 'PENDING'")).as("marks fenced off").isEqualTo(20);
        await().atMost(ARRIVAL).until(() -> "standby".equals(a.health().strategy().details().get("role")));
        f.stop(a);

        f.execute("UPDATE outbox_lease SET expires_at = '2000-01-01 00:00:00' WHERE name = 'cdc'"); // the other owner is gone
        f.startRelay("cdc-b", WriteMode.TABLE);
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'")
                == before.size() + unaware.size());
        assertThat(f.receivedIds()).containsAll(ids(unaware));
    }

    /**
     * Regression (issue 10, item 3): starting the strategy read the database's address, and an
     * unreachable database made the start fail (the service exited 1 where polling waits). The
     * strategy now starts, reports not ready, and streams once the database answers.
     */
    @Test
    void startsWhileTheDatabaseIsUnreachableAndStreamsOnceItAnswers() throws Exception {
        SwitchableDataSource ds = new SwitchableDataSource(f.db.dataSource());
        ds.cutOff();
        Relay a = f.startRelay(f.config("cdc-a", WriteMode.TABLE).build(), ds);
        await().atMost(ARRIVAL).until(() -> "not reached yet".equals(a.health().strategy().details().get("database")));
        assertThat(a.health().strategy().ready()).isFalse();

        ds.restore();
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.TABLE, f.events("o-u", 0, 3));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 3);
        assertThat(a.health().strategy().ready()).isTrue();
    }

    @Test
    void parksAnEventKafkaRefusesAndGoesOn() throws Exception {
        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        f.execute("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, topic) VALUES ("
                + uuidLiteral("0190f0f0-0000-7000-8000-000000000001") + ", '" + f.aggregateType
                + "', 'o-6', 'Placed', NULL, 'not a valid topic!')");
        List<OutboxEvent> after = f.append(WriteMode.TABLE, f.events("o-6", 1, 3));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(after)));
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PARKED'"
                + " AND last_error IS NOT NULL") == 1);
    }

    /**
     * A TABLE-mode row that is not a valid event (here: {@code headers} is a JSON array) is parked
     * with the reason, as polling parks it, and counted; later events go on. Regression: under cdc
     * it was only logged and counted and stayed PENDING for ever, so {@code status} and
     * {@code parked list} did not show it and the oldest-unpublished gauge kept growing.
     */
    @Test
    void parksATableRowThatIsNotAValidEventAndGoesOn() throws Exception {
        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        String bad = "0190f0f0-0000-7000-8000-000000000003";
        f.execute("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, headers) VALUES ("
                + uuidLiteral(bad) + ", '" + f.aggregateType + "', 'o-bad', 'Placed', NULL, '[1,2]')");
        List<OutboxEvent> after = f.append(WriteMode.TABLE, f.events("o-good", 0, 2));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(after)));
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PARKED' AND id = "
                + uuidLiteral(bad) + " AND last_error LIKE '%headers%JSON object%'") == 1);
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 2);
        assertThat(f.count("SELECT count(*) FROM outbox_event WHERE status = 'PENDING'")).isZero();
        assertThat(f.registry.find("outbox.cdc.invalid").counter().count()).isEqualTo(1.0);
        assertThat(f.receivedIds()).doesNotContain(bad);
    }

    /**
     * The first start in TABLE mode snapshots only the PENDING rows: a table of published (and
     * parked) rows is not read to publish a few pending ones. Exactly the pending rows are
     * published, and the snapshot saw no other row (Debezium's snapshot metrics).
     */
    @Test
    void firstStartSnapshotsAndPublishesOnlyThePendingRows() throws Exception {
        List<OutboxEvent> done = f.append(WriteMode.TABLE, f.events("o-s", 0, 200));
        f.execute("UPDATE outbox_event SET status = 'PUBLISHED'");
        List<OutboxEvent> parked = f.append(WriteMode.TABLE, f.events("o-p", 0, 1));
        f.execute("UPDATE outbox_event SET status = 'PARKED', last_error = 'parked by the test' WHERE status = 'PENDING'");
        List<OutboxEvent> pending = f.append(WriteMode.TABLE, f.events("o-s", 200, 3));

        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        List<OutboxEvent> streamed = f.append(WriteMode.TABLE, f.events("o-s", 203, 1));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(pending)) && f.receivedIds().containsAll(ids(streamed)));
        java.util.Set<String> expected = new java.util.HashSet<>(ids(pending));
        expected.addAll(ids(streamed));
        assertThat(f.receivedIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(snapshotRowsSeen()).isEqualTo(pending.size());
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'")
                == done.size() + pending.size() + streamed.size());
        assertThat(f.count("SELECT count(*) FROM outbox_event WHERE status = 'PARKED'")).isEqualTo(parked.size());
    }

    /** Rows the engine's snapshot read, per Debezium's snapshot metrics (JMX) of the strategy's connector. */
    static long snapshotRowsSeen() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        Set<javax.management.ObjectName> names = server.queryNames(
                new javax.management.ObjectName("debezium.*:type=connector-metrics,context=snapshot,*"), null);
        assertThat(names).as("snapshot metrics of the running engine").hasSize(1);
        return ((Number) server.getAttribute(names.iterator().next(), "TotalNumberOfEventsSeen")).longValue();
    }

    /**
     * {@code parked retry} and {@code replay} under cdc: the change stream carries inserts only, so
     * making a row PENDING again by an UPDATE was never published (regression: both commands
     * reported success and nothing reached Kafka). Under cdc they re-insert the rows.
     */
    @Test
    void parkedRetryAndReplayRepublishUnderCdc() throws Exception {
        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.TABLE, f.events("o-9", 0, 3));
        List<String> order = events.stream().map(e -> e.id().toString()).toList();
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(order)
                && f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 3);
        String last = order.get(2);
        f.execute("UPDATE outbox_event SET status = 'PARKED', last_error = 'parked by the test' WHERE id = "
                + uuidLiteral(last));
        OutboxQueries queries = new OutboxQueries(f.db.dataSource(), f.db.jdbcUrl(), f.tables, "cdc");

        // parked retry: the parked event is published again
        assertThat(queries.retryParked(new EventFilter(List.of(), null, null, null, null))).isEqualTo(1);
        await().atMost(ARRIVAL).until(() -> copies(last) == 2
                && f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 3);

        // replay: every published event of the aggregate goes out again, in its order, with its id
        List<Object> published = queries.published(new EventFilter(List.of(), null, "o-9", null, null), 0, Long.MAX_VALUE, 10).stream()
                .map(r -> r[1]).toList();
        assertThat(queries.requeue(published)).isEqualTo(3);
        await().atMost(ARRIVAL).until(() -> copies(order.get(0)) == 2 && copies(order.get(1)) == 2 && copies(last) == 3);
        List<String> received = f.received().stream().map(r -> CdcFixture.header(r, "id")).toList();
        assertThat(received.subList(received.size() - 3, received.size())).containsExactlyElementsOf(order);
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED'") == 3);
    }

    private long copies(String id) {
        return f.received().stream().filter(r -> id.equals(CdcFixture.header(r, "id"))).count();
    }

    /**
     * The record contract holds for both strategies: the same events, published once by the polling
     * relay and once by the CDC relay, become the same Kafka records field by field (topic,
     * partition, key, value bytes, header names, order and values), in the same order per partition.
     *
     * <p>Regression: user headers were published in a per-JVM random order ({@code Map.copyOf} in
     * {@code OutboxRecord}), so two relay processes published one event's headers differently;
     * they now follow the {@code headers} column's order.
     */
    @Test
    void publishesTheSameRecordsAsThePollingRelayFieldByField() throws Exception {
        List<OutboxEvent> events = f.contractEvents();
        Relay polling = f.startRelay(f.pollingConfig("poll-a").build());
        f.append(WriteMode.TABLE, events);
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        Map<String, String> stored = f.storedHeaders();
        f.stop(polling);
        List<ConsumerRecord<byte[], byte[]>> byPolling = List.copyOf(f.received());
        f.execute("DELETE FROM outbox_event");

        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        f.append(WriteMode.TABLE, events); // the same events again, same ids
        await().atMost(ARRIVAL).until(() -> f.received().size() >= 2 * events.size());
        List<ConsumerRecord<byte[], byte[]>> byCdc = List.copyOf(f.received().subList(byPolling.size(), f.received().size()));

        Map<String, WireRecord> polled = WireRecord.byId(byPolling);
        assertThat(polled.values()).containsExactlyInAnyOrderElementsOf(
                events.stream().map(e -> contract(e, stored.get(e.id().toString()))).toList());
        assertThat(WireRecord.byId(byCdc)).isEqualTo(polled);
        assertThat(WireRecord.orderPerPartition(byCdc)).isEqualTo(WireRecord.orderPerPartition(byPolling));
    }

    /**
     * Debezium's stock EventRouter SMT, configured exactly as docs/kafka-connect.md shows, over a
     * table written by {@code Outbox.append} (INSERT_AND_DELETE, as that page advises): its records
     * are compared field by field with the polling relay's records of the same events, and differ
     * only where the page says they do.
     */
    @Test
    void stockEventRouterSmtPublishesWhatDocsKafkaConnectSays() throws Exception {
        List<OutboxEvent> events = f.contractEvents();
        Relay polling = f.startRelay(f.pollingConfig("poll-a").build());
        f.append(WriteMode.TABLE, events);
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        Map<String, String> stored = f.storedHeaders();
        f.stop(polling);
        List<ConsumerRecord<byte[], byte[]>> byPolling = List.copyOf(f.received());
        f.execute("DELETE FROM outbox_event");

        ConnectorRun connector = f.startDocumentedConnector();
        f.awaitEngineReady();
        f.append(WriteMode.INSERT_AND_DELETE, events);
        await().atMost(ARRIVAL).failFast("the connector stopped", () -> connector.failure() != null)
                .until(() -> f.received().size() >= 2 * events.size());
        List<ConsumerRecord<byte[], byte[]>> byRouter = List.copyOf(f.received().subList(byPolling.size(), f.received().size()));

        Map<String, WireRecord> ours = WireRecord.byId(byPolling);
        Map<String, WireRecord> expected = new LinkedHashMap<>();
        for (OutboxEvent e : events) {
            expected.put(e.id().toString(), eventRouterRecord(ours.get(e.id().toString()), stored.get(e.id().toString())));
        }
        assertThat(WireRecord.byId(byRouter)).isEqualTo(expected);
    }

    /**
     * Our record as the EventRouter (docs/kafka-connect.md's options) publishes it instead: the
     * differences listed on that page, applied to our record.
     */
    WireRecord eventRouterRecord(WireRecord ours, String headersColumn) {
        byte[] key = ours.key().getBytes(StandardCharsets.UTF_8);
        List<String> headers = new ArrayList<>(ours.headers().subList(0, 3)); // id, type, aggregatetype
        headers.add("headers=" + (headersColumn == null ? "<null>" : headersColumn));
        return new WireRecord(f.topic, Utils.toPositive(Utils.murmur2(key)) % 3, ours.key(), ours.value(), headers);
    }

    /**
     * SIGKILL under load, then restart: the real service ({@code Main run}, {@code relay.strategy:
     * cdc}) in a child JVM is killed while it streams a steady load of 20-event transactions; a
     * second instance takes the lease after its TTL and resumes from the offsets in the database.
     * No event is lost; every duplicate is an exact copy, recognisable by its id, of an event first
     * sent shortly before the kill (offsets are committed only after Kafka's acks and flushed every
     * second); first copies keep commit order per aggregate.
     */
    @Test
    void losesNoEventWhenTheCdcServiceIsKilledUnderLoadAndRestarted() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "cdc-service", f.db.name())); // logs stay
        Logger log = LoggerFactory.getLogger(getClass());
        LoadWriter load = null;
        try (CdcServiceProcess first = CdcServiceProcess.start(serviceConfig(dir, "cdc-p1"))) {
            awaitWhileRunning(first, () -> f.count(f.engineReadySql()) > 0);
            log.info("SIGKILL test: first instance streams");
            load = new LoadWriter(f, 20, 8, Duration.ofMillis(40));
            awaitWhileRunning(first, () -> f.receivedIds().size() >= 2000);
            long killedAt = System.currentTimeMillis();
            first.kill();
            int beforeKill = f.receivedIds().size();
            log.info("SIGKILL test: first instance killed, received={}", beforeKill);

            try (CdcServiceProcess second = CdcServiceProcess.start(serviceConfig(dir, "cdc-p2"))) {
                awaitWhileRunning(second, () -> f.receivedIds().size() >= beforeKill + 1500);
                load.close();
                List<OutboxEvent> committed = load.committed();
                log.info("SIGKILL test: second instance streams, writer stopped, committed={}", committed.size());
                awaitWhileRunning(second, () -> f.receivedIds().containsAll(ids(committed)));

                long oldestDuplicateMs = assertRecoveredWithoutLoss(committed, killedAt, beforeKill);
                log.info("SIGKILL test: committed={} beforeKill={} duplicates={} oldestDuplicateSentMsBeforeKill={}",
                        committed.size(), beforeKill, Deliveries.of(f.received()).duplicated().size(), oldestDuplicateMs);
            }
        } finally {
            if (load != null) {
                load.close();
            }
        }
    }

    /**
     * At most what was sent in this window before a SIGKILL is sent again: one offset flush interval
     * (0.25 s) plus the marks, a batch and slack for a loaded machine; shorter than the stream before the kill, so a restart
     * from an older position would fail the test.
     */
    static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(2);

    /**
     * Every committed event arrived, nothing else did; each duplicate is an exact copy first sent
     * within {@link #DUPLICATE_WINDOW} before the kill; first copies keep commit order per aggregate.
     * Returns how long before the kill the oldest duplicate was first sent (ms).
     */
    private long assertRecoveredWithoutLoss(List<OutboxEvent> committed, long killedAt, int beforeKill) {
        Deliveries received = Deliveries.of(f.received());
        assertThat(received.ids()).containsExactlyInAnyOrderElementsOf(ids(committed));
        long oldest = 0;
        for (String id : received.duplicated()) {
            List<ConsumerRecord<byte[], byte[]>> copies = received.copies(id);
            assertThat(copies.stream().map(WireRecord::of).distinct()).as("copies of %s", id).hasSize(1);
            long firstSent = copies.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
            assertThat(killedAt - firstSent).as("ms before the kill that %s was first sent", id)
                    .isLessThan(DUPLICATE_WINDOW.toMillis());
            oldest = Math.max(oldest, killedAt - firstSent);
        }
        assertThat(received.duplicated().size()).isLessThan(beforeKill / 2);
        Map<String, List<String>> commitOrder = new LinkedHashMap<>();
        committed.forEach(e -> commitOrder.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.id().toString()));
        commitOrder.forEach((key, order) -> assertThat(received.firstCopies(key)).as("first copies of %s", key).isEqualTo(order));
        return oldest;
    }

    private static void awaitWhileRunning(CdcServiceProcess service, Callable<Boolean> condition) {
        try {
            await().atMost(ARRIVAL).failFast(() -> !service.isAlive()).until(condition);
        } catch (TerminalFailureException | ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the relay service's output:\n" + service.output(), e);
        }
    }

    private Path serviceConfig(Path dir, String instanceId) {
        return CdcServiceProcess.writeConfig(dir, instanceId, f.db.jdbcUrl(), f.db.username(), f.db.password(),
                f.kafka.bootstrapServers(), f.extraProperties);
    }

    /** The record docs/kafka-contract.md promises for an event whose row has this {@code headers} column text. */
    WireRecord contract(OutboxEvent e, String headersColumn) {
        String topic = e.topic() != null ? e.topic() : f.topic;
        int partitions = topic.equals(f.topic) ? 3 : 2;
        byte[] key = e.aggregateId().getBytes(StandardCharsets.UTF_8);
        List<String> headers = new ArrayList<>(List.of("id=" + e.id(), "type=" + e.eventType(),
                "aggregatetype=" + e.aggregateType()));
        CdcFixture.parseHeaders(headersColumn).forEach((k, v) -> headers.add(k + "=" + v));
        return WireRecord.expected(topic, Utils.toPositive(Utils.murmur2(key)) % partitions, e.aggregateId(), e.payload(),
                headers);
    }

    String uuidLiteral(String uuid) {
        return "'" + uuid + "'";
    }

    /** Waits until some instance holds the cdc lease and its engine runs. */
    void awaitStreaming() {
        await().atMost(ARRIVAL).until(() -> f.registry.find("outbox.cdc.active").gauges().stream()
                .anyMatch(g -> g.value() == 1.0));
        f.awaitEngineReady();
    }
}
