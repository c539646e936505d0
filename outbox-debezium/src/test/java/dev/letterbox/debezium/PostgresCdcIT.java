package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.LogicalMessageCodec;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.Relay;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The CDC suite on PostgreSQL (pgoutput), plus what only PostgreSQL has: logical messages and slot lag. */
class PostgresCdcIT extends AbstractCdcIT {

    @Override
    TestDatabase database(String hint) {
        return PostgresServer.sharedWithLogicalDecodingOrSkip().createDatabase(hint);
    }

    /**
     * A switch from the polling relay in log mode (its default on PostgreSQL) to CDC: log mode leaves
     * its published rows PENDING behind the shard positions, and the CDC strategy's first start must
     * not send them again; the rows written while no relay ran go out once. Regression: the snapshot
     * read every PENDING row, so the switch re-sent every retained event.
     */
    @Test
    void firstStartAfterLogModePollingSendsOnlyWhatLogModeHadNotPublished() throws Exception {
        Relay polling = f.startRelay(f.pollingConfig("poll-log").polling(dev.letterbox.relay.PollingConfig.builder()
                .mode("log").leaseTtl(CdcFixture.LEASE_TTL).build()).build());
        List<OutboxEvent> sent = f.append(WriteMode.TABLE, f.events("o-l", 0, 20));
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(sent)));
        f.stop(polling);
        assertThat(f.count("SELECT count(*) FROM outbox_event WHERE status = 'PENDING'"))
                .as("log mode leaves its published rows PENDING").isEqualTo(sent.size());
        List<OutboxEvent> waiting = f.append(WriteMode.TABLE, f.events("o-l", 20, 5));

        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(waiting)));
        assertThat(snapshotRowsSeen()).isEqualTo(waiting.size());
        assertThat(f.received()).as("each event once: log mode's, then the snapshot's").hasSize(sent.size() + waiting.size());
    }

    @Test
    void publishesLogicalMessageEventsWithoutWritingAnyRow() throws Exception {
        f.startRelay("cdc-a", WriteMode.LOGICAL_MESSAGE);
        awaitStreaming();
        List<OutboxEvent> events = f.append(WriteMode.LOGICAL_MESSAGE, f.events("o-7", 0, 10));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(events)));
        assertThat(f.count("SELECT count(*) FROM outbox_event")).isZero();
        ConsumerRecord<byte[], byte[]> first = f.received().get(0);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("o-7");
        assertThat(first.value()).isEqualTo(events.get(0).payload());
        assertThat(CdcFixture.header(first, "tenant")).isEqualTo("acme");
    }

    /**
     * Kafka refuses the event (larger than the producer's max.request.size): it becomes a PARKED row.
     * Stale test fixed: it used an invalid topic name, which the envelope decoder refuses before
     * Kafka sees it (the event rules check topic names), so nothing was parked and it timed out.
     */
    @Test
    void parksARefusedLogicalMessageAsAParkedRow() throws Exception {
        f.startRelay("cdc-a", WriteMode.LOGICAL_MESSAGE);
        awaitStreaming();
        // past the writer's own limit too, so it is emitted by hand as a writer without that limit would
        OutboxEvent tooLarge = f.event("o-8", 0).toBuilder().payload(new byte[1_200_000]).build();
        try (Connection c = f.db.openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_logical_emit_message(true, 'letterbox.outbox', ?::bytea)")) {
            ps.setBytes(1, LogicalMessageCodec.encode(tooLarge, Instant.now()));
            ps.execute();
        }
        List<OutboxEvent> after = f.append(WriteMode.LOGICAL_MESSAGE, f.events("o-8", 1, 2));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(after)));
        await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PARKED'"
                + " AND id = '" + tooLarge.id() + "' AND octet_length(payload) = 1200000 AND last_error LIKE '%RecordTooLarge%'") == 1);
        assertThat(f.receivedIds()).doesNotContain(tooLarge.id().toString());
    }

    /** An envelope that breaks the event rules is not published, and counted as invalid. */
    @Test
    void countsAnInvalidLogicalMessageAndGoesOn() throws Exception {
        f.startRelay("cdc-a", WriteMode.LOGICAL_MESSAGE);
        awaitStreaming();
        String envelope = "{\"v\":1,\"id\":\"0190f0f0-0000-7000-8000-000000000002\",\"aggregatetype\":\"" + f.aggregateType
                + "\",\"aggregateid\":\"o-8\",\"type\":\"Placed\",\"topic\":\"not a valid topic!\",\"headers\":{},"
                + "\"payload\":null,\"created_at\":\"2026-11-24T17:00:00Z\"}";
        try (Connection c = f.db.openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_logical_emit_message(true, 'letterbox.outbox', ?::bytea)")) {
            ps.setBytes(1, envelope.getBytes(StandardCharsets.UTF_8));
            ps.execute();
        }
        List<OutboxEvent> after = f.append(WriteMode.LOGICAL_MESSAGE, f.events("o-8", 1, 2));

        await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(ids(after)));
        assertThat(f.registry.find("outbox.cdc.invalid").counter().count()).isEqualTo(1.0);
        assertThat(f.receivedIds()).doesNotContain("0190f0f0-0000-7000-8000-000000000002");
    }

    @Test
    void measuresTheReplicationSlotLagInBytes() throws Exception {
        f.startRelay("cdc-a", WriteMode.INSERT_AND_DELETE);
        awaitStreaming();
        f.append(WriteMode.INSERT_AND_DELETE, f.events("o-9", 0, 3));

        await().atMost(ARRIVAL).until(() -> f.registry.find("outbox.cdc.slot.lag").gauges().stream()
                .anyMatch(g -> !Double.isNaN(g.value()) && g.value() >= 0));
    }

    /**
     * The DBZ-892 trap: the outbox is idle while another table of the same database is written
     * continuously. The publication carries the outbox table only, so pgoutput sends the engine
     * nothing for those writes; unless the heartbeat itself writes WAL that reaches the slot, the
     * slot's confirmed position stays where it was and the server keeps all that WAL.
     */
    @Test
    void slotAdvancesWhileTheOutboxIsIdleAndAnotherTableIsBusy() throws Exception {
        f.extraProperties.put("heartbeat.interval.ms", "500");
        f.execute("CREATE TABLE busy_table (id bigserial PRIMARY KEY, note text NOT NULL)");
        f.startRelay("cdc-a", WriteMode.TABLE);
        awaitStreaming();
        String slot = text("SELECT slot_name FROM pg_replication_slots WHERE database = current_database()");
        String before = text("SELECT pg_current_wal_lsn()::text");

        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        try (Connection c = f.db.openConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO busy_table (note) SELECT repeat('x', 200) FROM generate_series(1, 50)")) {
            while (System.nanoTime() < end) {
                ps.executeUpdate(); // autocommit: one transaction per statement
            }
        }
        String after = text("SELECT pg_current_wal_lsn()::text");
        long written = Long.parseLong(text("SELECT pg_wal_lsn_diff('" + after + "', '" + before + "')::bigint::text"));

        await().atMost(Duration.ofSeconds(30)).until(() -> f.count("SELECT count(*) FROM pg_replication_slots"
                + " WHERE slot_name = '" + slot + "' AND confirmed_flush_lsn >= '" + after + "'::pg_lsn") == 1);
        // the gauge, sampled on the lease loop, sees the slot retain less than the busy table wrote
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.find("outbox.cdc.slot.lag").gauges().stream()
                .anyMatch(g -> !Double.isNaN(g.value()) && g.value() < written));
        assertThat(f.count("SELECT count(*) FROM outbox_event")).isZero();
        assertThat(f.received()).isEmpty(); // the heartbeat messages are not events
    }

    private String text(String sql) throws SQLException {
        try (Connection c = f.db.openConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
