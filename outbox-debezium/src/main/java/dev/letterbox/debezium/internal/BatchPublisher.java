package dev.letterbox.debezium.internal;

import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import dev.letterbox.relay.spi.PublishResult;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.spi.OffsetCommitPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's change consumer: publishes a batch asynchronously and flushes the producer at once,
 * waits for every ack, retries retriable failures (per aggregate, in order), parks permanent ones
 * and (TABLE mode) rows that are not valid events, hands the marks to a {@link MarkWriter} and
 * marks the Debezium records processed, in order, then returns for the next batch while the marks
 * are written. Its {@link #offsetCommitPolicy() commit policy} stores offsets every
 * {@code offset.flush.interval.ms}, and only once every batch handed over before is marked: an
 * offset is committed only after Kafka acknowledged every record before it and their rows are marked.
 *
 * <p>Called by one engine thread at a time; {@link #stopHandingOver} and {@link #close} may be
 * called from another thread. One instance per engine run; {@link #close()} is idempotent.
 */
final class BatchPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);
    private static final long WAIT_SLICE_MS = 200;
    /**
     * How long a mark looks again for rows of published events it did not find (a row handed to the
     * log before it is visible) before giving them up; the offsets wait meanwhile.
     */
    static final Duration UNMATCHED_WAIT = Duration.ofSeconds(60);
    private static final String STOPPING = "CDC is stopping; the batch is abandoned before its offsets move";

    /**
     * Everything the publisher works with; the suppliers read the strategy's live state.
     *
     * @param offsetFlushInterval how often offsets are stored ({@code offset.flush.interval.ms})
     * @param threadSuffix        ends the names of the flush and mark threads, e.g. the instance id
     */
    record Wiring(EventPublisher publisher, RelayMetrics metrics, CdcMetrics cdcMetrics, MarkWriter.Store marks,
                  RecordDecoder decoder, WriteMode writeMode, RetryConfig retry, String deadLetterTopic, Clock clock,
                  Supplier<Lease> lease, BooleanSupplier stopping, Duration offsetFlushInterval, String threadSuffix) {
    }

    private final Wiring w;
    private final Flusher flusher;
    private final MarkWriter markWriter;
    private final Object gate = new Object();
    private boolean handingOver = true; // guarded by gate

    /** Starts the flush and mark threads; {@link #close()} stops them. */
    BatchPublisher(Wiring wiring) {
        this.w = wiring;
        this.flusher = new Flusher(wiring.publisher(), "outbox-cdc-flush-" + wiring.threadSuffix());
        this.markWriter = new MarkWriter(wiring.marks(), wiring.metrics(), wiring.cdcMetrics(), UNMATCHED_WAIT,
                wiring.retry(), wiring.lease(), "outbox-cdc-marks-" + wiring.threadSuffix());
    }

    /**
     * The engine's offset commit policy: every {@code offsetFlushInterval}, once the marks of every
     * batch handed over so far are written (it waits for them on the engine thread, giving up when
     * the strategy stops: the offsets then stay where they are).
     */
    OffsetCommitPolicy offsetCommitPolicy() {
        return (records, sinceLastCommit) -> sinceLastCommit.compareTo(w.offsetFlushInterval()) >= 0
                && markWriter.awaitWritten(w.stopping());
    }

    /**
     * Ends the hand-over of batches and waits, at most {@code timeout}, until the marks of those handed
     * over are written; call it before the engine's close, whose last offset commit does not ask the
     * commit policy. A batch still publishing is then abandoned before its records are marked processed.
     *
     * @return true when every handed-over batch is marked
     */
    boolean stopHandingOver(Duration timeout) {
        synchronized (gate) {
            handingOver = false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return markWriter.awaitWritten(() -> System.nanoTime() > deadline);
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Decoded.Event> events = new ArrayList<>();
        List<Decoded.Invalid> invalid = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> r : batch) {
            Decoded d = w.decoder().decode(r.record());
            if (d instanceof Decoded.Event e) {
                events.add(e);
            } else if (d instanceof Decoded.Invalid i) {
                invalid.add(i);
            }
        }
        // TABLE mode: a row that is not a valid event is parked, as polling parks it, so that it does not
        // stay PENDING for ever (regression: it was only logged and counted)
        List<UUID> invalidRows = new ArrayList<>();
        List<String> invalidReasons = new ArrayList<>();
        for (Decoded.Invalid i : invalid) {
            w.cdcMetrics().invalid();
            boolean parks = w.writeMode() == WriteMode.TABLE && i.rowId() != null;
            LOG.atError().addKeyValue("event_id", i.rowId()).addKeyValue("position", i.position())
                    .addKeyValue("parked", parks).addKeyValue("reason", i.reason())
                    .log("outbox change is not a valid event, not published");
            if (parks) {
                invalidRows.add(i.rowId());
                invalidReasons.add(i.reason() + ": the event was parked without being sent; correct the row, then"
                        + " `parked retry` it");
            }
        }
        MarkWriter.Marks marks = new MarkWriter.Marks(new ArrayList<>(events.size()), new ArrayList<>(),
                new ArrayList<>(), invalidRows, invalidReasons);
        if (!events.isEmpty()) {
            w.metrics().batchSize(events.size());
            publishAll(events, marks);
            sendDeadLetters(marks.refused(), marks.reasons());
        }
        synchronized (gate) {
            // a batch with nothing to mark (updates, heartbeats) is always safe to mark processed; failing it on a
            // stop failed the engine and lost its last offset commit (regression, seen on MariaDB, whose binlog
            // carries the marks' own updates: the next instance sent 171 of 200 events again)
            if (!marks.isEmpty()) {
                if (!handingOver || w.stopping().getAsBoolean()) {
                    throw new InterruptedException(STOPPING);
                }
                markWriter.submit(marks);
            }
            for (RecordChangeEvent<SourceRecord> r : batch) {
                committer.markProcessed(r);
            }
        }
        committer.markBatchFinished(); // the commit policy waits for the marks before an offset is stored
    }

    /** Publishes the events until each is acknowledged or refused for good; fills {@code marks}. */
    private void publishAll(List<Decoded.Event> events, MarkWriter.Marks marks) throws InterruptedException {
        List<OutboxRecord> pending = new ArrayList<>(events.size());
        for (Decoded.Event e : events) {
            pending.add(e.record());
        }
        List<OutboxRecord> acked = marks.published();
        List<OutboxRecord> refused = marks.refused();
        List<String> reasons = marks.reasons();
        int attempt = 0;
        while (!pending.isEmpty()) {
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>(pending.size());
            for (OutboxRecord r : pending) {
                futures.add(w.publisher().publish(r));
            }
            flusher.request(); // without it each batch would wait linger.ms before it is even sent
            List<OutboxRecord> retry = new ArrayList<>();
            Set<String> blockedKeys = new HashSet<>();
            for (int i = 0; i < pending.size(); i++) {
                PublishResult result = await(futures.get(i));
                OutboxRecord r = pending.get(i);
                if (blockedKeys.contains(r.aggregateId())) {
                    retry.add(r); // an earlier event of this key failed: send again after it, in order
                } else if (result instanceof PublishResult.Failed f && f.error().retriable()) {
                    blockedKeys.add(r.aggregateId());
                    retry.add(r);
                } else if (result instanceof PublishResult.Failed f) {
                    refused.add(r);
                    reasons.add(f.error().getMessage());
                    LOG.atWarn().addKeyValue("event_id", r.id()).addKeyValue("aggregate", r.aggregateKey())
                            .addKeyValue("topic", f.error().topic()).addKeyValue("error", f.error().getMessage())
                            .log("event refused by Kafka, parking it");
                } else {
                    acked.add(r);
                }
            }
            pending = retry;
            if (!pending.isEmpty()) {
                attempt++;
                Duration pause = w.retry().backoff(attempt);
                LOG.atWarn().addKeyValue("events", pending.size()).addKeyValue("attempt", attempt)
                        .addKeyValue("next_try_ms", pause.toMillis()).log("retriable publish failures, retrying");
                RetryBackoff.pause(pause, w.stopping(), STOPPING);
            }
        }
        Instant now = w.clock().instant();
        Set<OutboxRecord> ackedSet = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ackedSet.addAll(acked);
        for (Decoded.Event e : events) {
            if (e.committedAt() != null && ackedSet.contains(e.record())) {
                w.cdcMetrics().sourceToAck(Duration.between(e.committedAt(), now));
            }
        }
    }

    private void sendDeadLetters(List<OutboxRecord> refused, List<String> reasons) throws InterruptedException {
        for (int k = 0; k < refused.size() && w.deadLetterTopic() != null; k++) {
            PublishResult dl = await(w.publisher().publishDeadLetter(refused.get(k), w.deadLetterTopic(), reasons.get(k)));
            if (!dl.acked()) {
                LOG.atError().addKeyValue("event_id", refused.get(k).id()).addKeyValue("topic", w.deadLetterTopic())
                        .log("dead-letter copy failed");
            }
        }
    }

    private PublishResult await(CompletableFuture<PublishResult> future) throws InterruptedException {
        while (true) {
            if (w.stopping().getAsBoolean()) {
                throw new InterruptedException(STOPPING);
            }
            try {
                return future.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at the stop flag again
            } catch (ExecutionException e) {
                throw new IllegalStateException("the publisher completed exceptionally, which it must not", e.getCause());
            }
        }
    }

    /** Stops the flush and mark threads; marks not written by then are dropped, their offsets never committed. */
    @Override
    public void close() {
        markWriter.close();
        flusher.close();
    }
}
