package dev.letterbox.debezium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarkWriterTest {

    static final Lease LEASE = new Lease("cdc", "relay-1", 7);
    static final RetryConfig FAST_RETRY = RetryConfig.builder().initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(5)).build();

    private final List<MarkWriter.Marks> writes = new CopyOnWriteArrayList<>();
    private MarkWriter writer;

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    static OutboxRecord event(String aggregateId) {
        return new OutboxRecord(UUID.randomUUID(), "order", aggregateId, "OrderPlaced", new byte[] {1}, Map.of(), null,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    static MarkWriter.Marks published(OutboxRecord... records) {
        return new MarkWriter.Marks(List.of(records), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void combinesTheBatchesHandedOverDuringAWriteIntoTheNextWrite() throws Exception {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer = new MarkWriter((m, l) -> {
            writes.add(m);
            firstEntered.countDown();
            awaitLatch(release);
            return MarkWriter.Written.parked(0);
        }, RelayMetrics.create("relay-1", "cdc"), new CdcMetrics("relay-1"),
                Duration.ofSeconds(30), FAST_RETRY, () -> LEASE, "test-marks");
        OutboxRecord a = event("a");
        OutboxRecord b = event("b");
        OutboxRecord c = event("c");

        writer.submit(published(a));
        assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
        writer.submit(published(b));
        writer.submit(published(c));
        release.countDown();

        assertThat(writer.awaitWritten(() -> false)).isTrue();
        assertThat(writes).extracting(MarkWriter.Marks::published).containsExactly(List.of(a), List.of(b, c));
    }

    @Test
    void awaitWrittenReturnsTrueOnlyOnceEveryHandedOverBatchIsWritten() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer = new MarkWriter((m, l) -> {
            entered.countDown();
            awaitLatch(release);
            return MarkWriter.Written.parked(0);
        }, RelayMetrics.create("relay-1", "cdc"), new CdcMetrics("relay-1"),
                Duration.ofSeconds(30), FAST_RETRY, () -> LEASE, "test-marks");
        writer.submit(published(event("a")));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // the store is still writing: the wait can only end by giving up
        AtomicInteger looks = new AtomicInteger();
        assertThat(writer.awaitWritten(() -> looks.incrementAndGet() > 2)).isFalse();

        release.countDown();
        assertThat(writer.awaitWritten(() -> false)).isTrue();
    }

    @Test
    void retriesAFailedWriteUntilItSucceedsAndCountsTheEventsOnce() {
        AtomicInteger calls = new AtomicInteger();
        RelayMetrics metrics = RelayMetrics.create("relay-1", "cdc");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        writer = new MarkWriter((m, l) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new SQLException("connection refused");
            }
            return MarkWriter.Written.parked(0);
        }, metrics, new CdcMetrics("relay-1"), Duration.ofSeconds(30), FAST_RETRY, () -> LEASE, "test-marks");

        writer.submit(published(event("a"), event("b")));

        assertThat(writer.awaitWritten(() -> false)).isTrue();
        assertThat(calls).hasValue(3);
        assertThat(registry.get("outbox.events.published").counter().count()).isEqualTo(2.0);
    }

    @Test
    void writesNothingWithoutTheLeaseAndNeverReportsTheMarksWritten() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Lease> lease = new AtomicReference<>(null);
        writer = new MarkWriter((m, l) -> {
            calls.incrementAndGet();
            return MarkWriter.Written.parked(0);
        }, RelayMetrics.create("relay-1", "cdc"), new CdcMetrics("relay-1"),
                Duration.ofSeconds(30), FAST_RETRY, lease::get, "test-marks");

        writer.submit(published(event("a")));

        AtomicInteger looks = new AtomicInteger();
        assertThat(writer.awaitWritten(() -> looks.incrementAndGet() > 3)).isFalse();
        assertThat(calls).hasValue(0);
    }

    @Test
    void fencesEveryWriteWithTheCurrentLease() {
        List<Lease> seen = new CopyOnWriteArrayList<>();
        writer = new MarkWriter((m, l) -> {
            seen.add(l);
            return MarkWriter.Written.parked(0);
        }, RelayMetrics.create("relay-1", "cdc"), new CdcMetrics("relay-1"),
                Duration.ofSeconds(30), FAST_RETRY, () -> LEASE, "test-marks");

        writer.submit(published(event("a")));

        assertThat(writer.awaitWritten(() -> false)).isTrue();
        assertThat(seen).containsExactly(LEASE);
    }

    /**
     * Regression (issue 10, item 1): a mark that updated fewer rows than it should was taken as done,
     * and the offset moved past a row that stayed PENDING. Now the rows it did not find are marked
     * again until found, and {@link MarkWriter#awaitWritten} (the offset commit) waits for them.
     */
    @Test
    void marksAgainTheRowsAMarkDidNotFindAndHoldsTheOffsetsMeanwhile() {
        OutboxRecord visible = event("a");
        OutboxRecord notYetVisible = event("b");
        java.util.concurrent.atomic.AtomicBoolean committed = new java.util.concurrent.atomic.AtomicBoolean();
        List<List<OutboxRecord>> tried = new CopyOnWriteArrayList<>();
        writer = new MarkWriter((m, l) -> {
            tried.add(m.published());
            List<OutboxRecord> unmatched = committed.get() ? List.of()
                    : m.published().stream().filter(r -> r == notYetVisible).toList();
            return new MarkWriter.Written(0, unmatched);
        }, RelayMetrics.create("relay-1", "cdc"), new CdcMetrics("relay-1"), Duration.ofSeconds(30), FAST_RETRY,
                () -> LEASE, "test-marks");

        writer.submit(published(visible, notYetVisible));

        AtomicInteger looks = new AtomicInteger();
        assertThat(writer.awaitWritten(() -> looks.incrementAndGet() > 3)).as("offsets held while a row is not found").isFalse();
        committed.set(true);
        assertThat(writer.awaitWritten(() -> false)).isTrue();
        assertThat(tried.get(0)).containsExactly(visible, notYetVisible);
        assertThat(tried.subList(1, tried.size())).allSatisfy(t -> assertThat(t).containsExactly(notYetVisible));
    }

    @Test
    void givesUpARowNotFoundWithinTheWaitAndCountsIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CdcMetrics cdcMetrics = new CdcMetrics("relay-1");
        cdcMetrics.bindTo(registry);
        writer = new MarkWriter((m, l) -> new MarkWriter.Written(0, m.published()), RelayMetrics.create("relay-1", "cdc"),
                cdcMetrics, Duration.ofMillis(300), FAST_RETRY, () -> LEASE, "test-marks");

        writer.submit(published(event("gone")));

        assertThat(writer.awaitWritten(() -> false)).isTrue();
        assertThat(registry.get("outbox.cdc.marks.unmatched").counter().count()).isEqualTo(1.0);
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the latch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
