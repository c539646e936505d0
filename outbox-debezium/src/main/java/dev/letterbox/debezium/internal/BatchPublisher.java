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
import java.sql.SQLException;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's change consumer: publishes a batch asynchronously, waits for every ack, retries
 * retriable failures (per aggregate, in order), parks permanent ones and (TABLE mode) rows that
 * are not valid events, marks rows published, and
 * only then marks the Debezium records processed, in order, so an offset is committed only after
 * Kafka acknowledged every record before it.
 *
 * <p>Called by one engine thread at a time; not meant to be shared between engines.
 */
final class BatchPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);
    private static final long WAIT_SLICE_MS = 200;

    /** Everything the publisher works with; the suppliers read the strategy's live state. */
    record Wiring(EventPublisher publisher, RelayMetrics metrics, CdcMetrics cdcMetrics, OutboxMarks marks,
                  RecordDecoder decoder, WriteMode writeMode, RetryConfig retry, String deadLetterTopic, Clock clock,
                  Supplier<Lease> lease, BooleanSupplier stopping) {
    }

    private final Wiring w;

    BatchPublisher(Wiring wiring) {
        this.w = wiring;
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
            LOG.error("outbox change is not a valid event, not published: eventId={} position={} parked={} reason=\"{}\"",
                    i.rowId(), i.position(), parks, i.reason());
            if (parks) {
                invalidRows.add(i.rowId());
                invalidReasons.add(i.reason() + ": the event was parked without being sent; correct the row, then"
                        + " `parked retry` it");
            }
        }
        if (!events.isEmpty()) {
            w.metrics().batchSize(events.size());
            publishAll(events, invalidRows, invalidReasons);
        } else if (!invalidRows.isEmpty()) {
            writeBack(List.of(), List.of(), List.of(), invalidRows, invalidReasons);
        }
        for (RecordChangeEvent<SourceRecord> r : batch) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
    }

    private void publishAll(List<Decoded.Event> events, List<UUID> invalidRows, List<String> invalidReasons)
            throws InterruptedException {
        List<OutboxRecord> pending = new ArrayList<>(events.size());
        for (Decoded.Event e : events) {
            pending.add(e.record());
        }
        List<OutboxRecord> acked = new ArrayList<>(events.size());
        List<OutboxRecord> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int attempt = 0;
        while (!pending.isEmpty()) {
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>(pending.size());
            for (OutboxRecord r : pending) {
                futures.add(w.publisher().publish(r));
            }
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
                    LOG.warn("event refused by Kafka, parking it: eventId={} aggregate={} topic={} error=\"{}\"",
                            r.id(), r.aggregateKey(), f.error().topic(), f.error().getMessage());
                } else {
                    acked.add(r);
                }
            }
            pending = retry;
            if (!pending.isEmpty()) {
                attempt++;
                Duration pause = backoff(attempt);
                LOG.warn("retriable publish failures, retrying: events={} attempt={} backoffMs={}", pending.size(),
                        attempt, pause.toMillis());
                sleep(pause);
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
        writeBack(acked, refused, reasons, invalidRows, invalidReasons);
    }

    private void writeBack(List<OutboxRecord> acked, List<OutboxRecord> refused, List<String> reasons,
                           List<UUID> invalidRows, List<String> invalidReasons) throws InterruptedException {
        for (int k = 0; k < refused.size() && w.deadLetterTopic() != null; k++) {
            PublishResult dl = await(w.publisher().publishDeadLetter(refused.get(k), w.deadLetterTopic(), reasons.get(k)));
            if (!dl.acked()) {
                LOG.error("dead-letter copy failed: eventId={} topic={}", refused.get(k).id(), w.deadLetterTopic());
            }
        }
        int attempt = 0;
        while (true) {
            try {
                Lease lease = w.lease().get();
                if (lease == null) {
                    throw new InterruptedException("the cdc lease was lost; stopping before the offsets move");
                }
                if (w.writeMode() == WriteMode.TABLE) {
                    w.marks().markPublished(acked, lease);
                }
                w.marks().park(refused, reasons, lease);
                int invalidParked = w.marks().parkInvalidRows(invalidRows, invalidReasons, lease);
                w.metrics().published(acked.size());
                w.metrics().parked(refused.size() + invalidParked);
                return;
            } catch (SQLException e) {
                attempt++;
                Duration pause = backoff(attempt);
                LOG.warn("could not write back to the outbox table, retrying: published={} parked={} attempt={}"
                        + " backoffMs={} error=\"{}\"", acked.size(), refused.size() + invalidRows.size(), attempt,
                        pause.toMillis(), e.getMessage());
                sleep(pause);
            }
        }
    }

    private PublishResult await(CompletableFuture<PublishResult> future) throws InterruptedException {
        while (true) {
            if (w.stopping().getAsBoolean()) {
                throw new InterruptedException("CDC is stopping; the batch is abandoned before its offsets move");
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

    private void sleep(Duration pause) throws InterruptedException {
        long end = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < end) {
            if (w.stopping().getAsBoolean()) {
                throw new InterruptedException("CDC is stopping; the batch is abandoned before its offsets move");
            }
            Thread.sleep(Math.max(1, Math.min(WAIT_SLICE_MS, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private Duration backoff(int attempt) {
        RetryConfig r = w.retry();
        double base = r.initialBackoff().toMillis() * Math.pow(r.multiplier(), Math.max(0, attempt - 1));
        double capped = Math.min(base, r.maxBackoff().toMillis());
        double jitter = capped * r.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(1, (long) (capped + jitter)));
    }
}
