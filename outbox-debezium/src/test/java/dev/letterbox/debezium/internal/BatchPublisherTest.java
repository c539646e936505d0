package dev.letterbox.debezium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.OutboxRecord;
import dev.letterbox.relay.spi.PublishResult;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order of the engine-side steps: acks, then records marked processed, then (per the commit
 * policy) offsets stored only once the rows are marked.
 */
class BatchPublisherTest {

    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    static final Schema AFTER = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA)
            .field("aggregatetype", Schema.STRING_SCHEMA).field("aggregateid", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA).field("payload", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("headers", Schema.OPTIONAL_STRING_SCHEMA).field("topic", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created_at", Schema.STRING_SCHEMA).field("status", Schema.STRING_SCHEMA).build();
    static final Schema SOURCE = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("after", AFTER)
            .field("source", SOURCE).build();

    private final FakePublisher publisher = new FakePublisher();
    private final FakeCommitter committer = new FakeCommitter();
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private BatchPublisher consumer;

    @AfterEach
    void tearDown() {
        engineThread.shutdownNow();
        if (consumer != null) {
            consumer.close();
        }
    }

    private BatchPublisher consumer(MarkWriter.Store store) {
        consumer = new BatchPublisher(new BatchPublisher.Wiring(publisher, RelayMetrics.create("relay-1", "cdc"),
                new CdcMetrics("relay-1"), store, new RecordDecoder("letterbox.outbox"), WriteMode.TABLE,
                MarkWriterTest.FAST_RETRY, null, Clock.systemUTC(), () -> MarkWriterTest.LEASE, stopping::get,
                FLUSH_INTERVAL, "test"));
        return consumer;
    }

    static RecordChangeEvent<SourceRecord> insert(long lsn) {
        Struct after = new Struct(AFTER).put("id", UUID.randomUUID().toString()).put("aggregatetype", "order")
                .put("aggregateid", "order-" + lsn).put("type", "OrderPlaced").put("payload", new byte[] {1, 2})
                .put("created_at", "2026-01-01T00:00:00Z").put("status", "PENDING");
        Struct value = new Struct(ENVELOPE).put("op", "c").put("after", after)
                .put("source", new Struct(SOURCE).put("ts_ms", System.currentTimeMillis()));
        SourceRecord r = new SourceRecord(Map.of("server", "test"), Map.of("lsn", lsn), "letterbox.outbox_event", null,
                null, ENVELOPE, value);
        return () -> r;
    }

    @Test
    void marksNoRecordProcessedBeforeKafkaAcknowledgedTheWholeBatch() throws Exception {
        BatchPublisher c = consumer((m, l) -> MarkWriter.Written.parked(0));
        publisher.autoAck = false;
        List<RecordChangeEvent<SourceRecord>> batch = List.of(insert(1), insert(2), insert(3));

        Future<?> handled = engineThread.submit(() -> handle(c, batch));
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.pending.size() == 3);
        publisher.ackFirst(2);

        // one ack still missing: the engine thread is blocked in the wait, nothing is marked processed
        assertThat(committer.processed).isEmpty();
        assertThat(handled).isNotDone();

        publisher.ackFirst(3);
        handled.get(10, TimeUnit.SECONDS);
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchesFinished).hasValue(1);
    }

    /** Regression: the records were sent without a flush, so every batch waited linger.ms before it left. */
    @Test
    void flushesTheProducerAsSoonAsTheBatchIsSent() throws Exception {
        BatchPublisher c = consumer((m, l) -> MarkWriter.Written.parked(0));
        publisher.autoAck = false;
        publisher.ackOnFlush = true; // like a producer whose linger never ends by itself

        engineThread.submit(() -> handle(c, List.of(insert(1), insert(2)))).get(10, TimeUnit.SECONDS);

        assertThat(publisher.flushes.get()).isPositive();
        assertThat(committer.processed).hasSize(2);
    }

    @Test
    void handsTheMarksOverAndTakesTheNextBatchBeforeTheyAreWritten() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<MarkWriter.Marks> written = new CopyOnWriteArrayList<>();
        BatchPublisher c = consumer((m, l) -> {
            MarkWriterTest.awaitLatch(release);
            written.add(m);
            return MarkWriter.Written.parked(0);
        });

        engineThread.submit(() -> handle(c, List.of(insert(1)))).get(10, TimeUnit.SECONDS);
        engineThread.submit(() -> handle(c, List.of(insert(2)))).get(10, TimeUnit.SECONDS);

        assertThat(committer.processed).hasSize(2);
        assertThat(written).isEmpty();
        release.countDown();
        assertThat(c.stopHandingOver(Duration.ofSeconds(10))).isTrue();
        assertThat(written).flatExtracting(MarkWriter.Marks::published).extracting(OutboxRecord::aggregateId)
                .containsExactly("order-1", "order-2");
    }

    @Test
    void commitPolicyStoresOffsetsOnlyOnceTheRowsBeforeThemAreMarked() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchPublisher c = consumer((m, l) -> {
            entered.countDown();
            MarkWriterTest.awaitLatch(release);
            return MarkWriter.Written.parked(0);
        });
        engineThread.submit(() -> handle(c, List.of(insert(1)))).get(10, TimeUnit.SECONDS);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> commit = CompletableFuture.supplyAsync(
                () -> c.offsetCommitPolicy().performCommit(1, FLUSH_INTERVAL));
        // the marks are being written: the policy cannot have answered yet
        assertThat(commit).isNotDone();

        release.countDown();
        assertThat(commit.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void commitPolicyStoresOffsetsOnlyEveryFlushInterval() {
        BatchPublisher c = consumer((m, l) -> MarkWriter.Written.parked(0));

        assertThat(c.offsetCommitPolicy().performCommit(10, FLUSH_INTERVAL.minusMillis(1))).isFalse();
        assertThat(c.offsetCommitPolicy().performCommit(10, FLUSH_INTERVAL)).isTrue();
    }

    @Test
    void commitPolicyGivesUpWithoutCommittingWhenTheStrategyStopsWhileMarksArePending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchPublisher c = consumer((m, l) -> {
            MarkWriterTest.awaitLatch(release);
            return MarkWriter.Written.parked(0);
        });
        engineThread.submit(() -> handle(c, List.of(insert(1)))).get(10, TimeUnit.SECONDS);

        stopping.set(true);

        assertThat(c.offsetCommitPolicy().performCommit(1, FLUSH_INTERVAL)).isFalse();
        release.countDown();
    }

    @Test
    void abandonsABatchWithoutMarkingItProcessedOnceTheHandOverStopped() {
        BatchPublisher c = consumer((m, l) -> MarkWriter.Written.parked(0));
        assertThat(c.stopHandingOver(Duration.ofSeconds(1))).isTrue();

        assertThatThrownBy(() -> c.handleBatch(List.of(insert(1)), committer)).isInstanceOf(InterruptedException.class);
        assertThat(committer.processed).isEmpty();
    }

    /** Regression: a stop failed an update-only batch, which failed the engine and lost its last offset commit. */
    @Test
    void stillMarksABatchWithNothingToPublishProcessedOnceTheHandOverStopped() throws Exception {
        BatchPublisher c = consumer((m, l) -> MarkWriter.Written.parked(0));
        RecordChangeEvent<SourceRecord> update = update(1);
        assertThat(c.stopHandingOver(Duration.ofSeconds(1))).isTrue();

        c.handleBatch(List.of(update), committer);

        assertThat(committer.processed).containsExactly(update);
    }

    static RecordChangeEvent<SourceRecord> update(long lsn) {
        SourceRecord insert = insert(lsn).record();
        Struct value = ((Struct) insert.value()).put("op", "u");
        SourceRecord r = new SourceRecord(insert.sourcePartition(), insert.sourceOffset(), insert.topic(), null, null,
                ENVELOPE, value);
        return () -> r;
    }

    private Void handle(BatchPublisher c, List<RecordChangeEvent<SourceRecord>> batch) throws InterruptedException {
        c.handleBatch(batch, committer);
        return null;
    }

    /** Acks at once, on flush, or when the test says. */
    static final class FakePublisher implements EventPublisher {
        final List<CompletableFuture<PublishResult>> pending = new CopyOnWriteArrayList<>();
        final List<OutboxRecord> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger flushes = new AtomicInteger();
        volatile boolean autoAck = true;
        volatile boolean ackOnFlush;

        @Override
        public CompletableFuture<PublishResult> publish(OutboxRecord record) {
            CompletableFuture<PublishResult> f = new CompletableFuture<>();
            sent.add(record);
            pending.add(f);
            if (autoAck) {
                f.complete(PublishResult.acked(record, "t", 0, sent.size()));
            }
            return f;
        }

        void ackFirst(int n) {
            for (int i = 0; i < n; i++) {
                pending.get(i).complete(PublishResult.acked(sent.get(i), "t", 0, i));
            }
        }

        @Override
        public CompletableFuture<PublishResult> publishDeadLetter(OutboxRecord record, String topic, String reason) {
            return CompletableFuture.completedFuture(PublishResult.acked(record, topic, 0, 0));
        }

        @Override
        public String topicFor(OutboxRecord record) {
            return "t";
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            if (ackOnFlush) {
                ackFirst(pending.size());
            }
        }
    }

    static final class FakeCommitter implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> processed = new CopyOnWriteArrayList<>();
        final AtomicInteger batchesFinished = new AtomicInteger();

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchesFinished.incrementAndGet();
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
