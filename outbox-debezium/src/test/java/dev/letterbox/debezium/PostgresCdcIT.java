package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.LogicalMessageCodec;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
}
