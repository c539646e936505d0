package dev.letterbox.debezium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import dev.letterbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CDC marks on a real database, at the {@link MarkWriter} seam: a published event whose row
 * the mark cannot see yet. Run against each database by a small subclass.
 */
abstract class AbstractMarksIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final RetryConfig RETRY = RetryConfig.builder().initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(200)).build();

    TestDatabase db;
    final OutboxTables tables = OutboxTables.ofDefaults();
    final Lease lease = new Lease(CdcStrategy.LEASE, "marks-it", 3);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MarkWriter writer;

    /** A fresh database of the kind under test, or a skipped test. */
    abstract TestDatabase database(String hint);

    @BeforeEach
    void setUp() throws SQLException {
        db = database(getClass().getSimpleName());
        OutboxSchema.of(tables).migrate(db.dataSource());
        try (Connection c = db.openConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_lease (name, owner, epoch) VALUES (?, ?, ?)")) {
            ps.setString(1, lease.name());
            ps.setString(2, lease.owner());
            ps.setLong(3, lease.epoch());
            ps.executeUpdate();
        }
        CdcMetrics cdcMetrics = new CdcMetrics("marks-it");
        cdcMetrics.bindTo(registry);
        OutboxMarks marks = new OutboxMarks(db.dataSource(), DatabaseTarget.of(db.dataSource(), tables, Map.of()));
        writer = new MarkWriter(MarkWriter.into(marks, true), RelayMetrics.create("marks-it", "cdc"), cdcMetrics,
                WAIT, RETRY, () -> lease, "marks-it");
    }

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * Regression (issue 10, item 1): the log hands a committed row over before other sessions can
     * see it; the relay published it, its mark updated no row, the count was dropped and the offset
     * moved past a row that stayed PENDING for good. Here the mark runs before the row exists; the
     * offsets must wait, and the row must end PUBLISHED once it is there.
     */
    @Test
    void marksARowThatBecomesVisibleAfterItsMarkAndHoldsTheOffsetsUntilThen() throws Exception {
        OutboxEvent visible = event("o-1", 0);
        OutboxEvent late = event("o-1", 1);
        append(visible);

        writer.submit(published(visible, late));

        AtomicInteger looks = new AtomicInteger();
        assertThat(writer.awaitWritten(() -> looks.incrementAndGet() > 5))
                .as("the marks count as written while a published row is not marked").isFalse();
        assertThat(status(visible)).isEqualTo("PUBLISHED");
        append(late); // the row becomes visible
        await().atMost(WAIT).until(() -> writer.awaitWritten(() -> true));
        assertThat(status(late)).isEqualTo("PUBLISHED");
        assertThat(registry.get("outbox.cdc.marks.unmatched").counter().count()).isZero();
    }

    /** A mark fenced off (another instance took the lease) leaves its rows PENDING and is never counted as written. */
    @Test
    void aFencedMarkIsNotTakenAsWritten() throws Exception {
        OutboxEvent e = event("o-2", 0);
        append(e);
        try (Connection c = db.openConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE outbox_lease SET owner = 'other', epoch = epoch + 1")) {
            ps.executeUpdate();
        }

        writer.submit(published(e));

        AtomicInteger looks = new AtomicInteger();
        assertThat(writer.awaitWritten(() -> looks.incrementAndGet() > 5)).isFalse();
        assertThat(status(e)).isEqualTo("PENDING");
    }

    OutboxEvent event(String aggregateId, int n) {
        return OutboxEvent.builder().aggregateType("order").aggregateId(aggregateId).eventType("Placed")
                .payload(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)).build();
    }

    void append(OutboxEvent e) throws SQLException {
        try (Connection c = db.openConnection()) {
            c.setAutoCommit(false);
            Outbox.builder().tables(tables).build().append(c, e);
            c.commit();
        }
    }

    static MarkWriter.Marks published(OutboxEvent... events) {
        List<OutboxRecord> records = java.util.Arrays.stream(events).map(e -> new OutboxRecord(e.id(), e.aggregateType(),
                e.aggregateId(), e.eventType(), e.payload(), Map.of(), null, Instant.now())).toList();
        return new MarkWriter.Marks(records, List.of(), List.of(), List.of(), List.of());
    }

    String status(OutboxEvent e) throws SQLException {
        try (Connection c = db.openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM outbox_event WHERE id = "
                     + (db.kind() == dev.letterbox.testsupport.DatabaseKind.POSTGRES ? "?::uuid" : "?"))) {
            ps.setString(1, e.id().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
