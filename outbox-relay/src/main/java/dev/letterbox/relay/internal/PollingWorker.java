package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.PublishResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller thread's loop over its slice of this instance's shards: claim a batch (one
 * statement), send it asynchronously, wait for the acks, mark what was acknowledged (one statement,
 * fenced by the lease epochs), repeat at once while batches come back non-empty and back off while
 * idle. No transaction or row lock is held while Kafka is waited for. Runs on one thread.
 */
final class PollingWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollingWorker.class);

    private final int index;
    private final int workers;
    private final RelayConfig config;
    private final Db db;
    private final OutboxStatements statements;
    private final ShardLeases leases;
    private final EventPublisher publisher;
    private final RelayMetrics metrics;
    private final BrokerCircuit circuit;
    private final PollingHooks hooks;
    private final Waker waker;
    private final Backoff backoff;
    private final OutageLog dbOutage;
    private volatile boolean busy;
    private Duration idle;
    private int brokerFailures;

    PollingWorker(int index, int workers, RelayConfig config, Db db, OutboxStatements statements, ShardLeases leases,
                  EventPublisher publisher, RelayMetrics metrics, BrokerCircuit circuit, PollingHooks hooks, Waker waker) {
        this.index = index;
        this.workers = workers;
        this.config = config;
        this.db = db;
        this.statements = statements;
        this.leases = leases;
        this.publisher = publisher;
        this.metrics = metrics;
        this.circuit = circuit;
        this.hooks = hooks;
        this.waker = waker;
        this.backoff = new Backoff(config.retry());
        this.dbOutage = new OutageLog(LOG, "database (poller " + index + ")");
        this.idle = config.polling().idleBackoffMin();
    }

    /** Whether this poller handles the shard. */
    boolean handles(int shard) {
        return shard % workers == index;
    }

    /** True while this poller is inside a batch (from reading its leases to the mark). */
    boolean busy() {
        return busy;
    }

    @Override
    public void run() {
        while (!waker.stopped()) {
            Duration pause;
            try {
                pause = step();
            } catch (SQLException e) {
                pause = backoff.delay((int) Math.min(30, dbOutage.failures() + 1));
                dbOutage.failed(e, pause);
            } catch (RuntimeException e) {
                pause = backoff.delay((int) Math.min(30, dbOutage.failures() + 1));
                LOG.error("poller step failed: poller={} nextTryMs={}", index, pause.toMillis(), e);
            } finally {
                busy = false;
            }
            if (!pause.isZero()) {
                waker.await(pause);
            }
        }
    }

    /** One claim-send-mark round; returns how long to pause before the next. */
    Duration step() throws SQLException {
        Duration wait = circuit.waitTime();
        if (!wait.isZero()) {
            return min(wait, Duration.ofMillis(200));
        }
        busy = true;
        Map<Integer, Lease> mine = new HashMap<>();
        leases.owned().forEach((shard, lease) -> {
            if (handles(shard)) {
                mine.put(shard, lease);
            }
        });
        if (mine.isEmpty()) {
            return config.polling().idleBackoffMax();
        }
        int batchSize = config.polling().batchSize();
        List<ClaimedRow> rows = db.run(c -> statements.claim(c, mine.keySet(), batchSize));
        dbOutage.succeeded();
        if (rows.isEmpty()) {
            Duration pause = idle;
            idle = min(idle.multipliedBy(2).plusMillis(1), config.polling().idleBackoffMax());
            return pause;
        }
        idle = config.polling().idleBackoffMin();
        if (!circuit.tryAcquire()) {
            return Duration.ofMillis(50);
        }
        metrics.batchSize(rows.size());
        List<CompletableFuture<PublishResult>> sends = new ArrayList<>(rows.size());
        for (ClaimedRow row : rows) {
            sends.add(publisher.publish(row.record()));
        }
        publisher.flush();
        List<PublishResult> results = new ArrayList<>(rows.size());
        for (CompletableFuture<PublishResult> send : sends) {
            results.add(send.join());
        }
        BatchOutcome outcome = BatchOutcome.of(rows, results);
        List<OutboxStatements.Failure> failures = failures(outcome, mine);
        hooks.beforeMark(rows);
        int[] updated = db.run(c -> new int[] {
                statements.markPublished(c, outcome.toMark(), mine.values()),
                statements.recordFailures(c, failures, config.retry().maxAttempts())});
        hooks.afterMark(outcome.toMark().size(), updated[0]);
        metrics.published(updated[0]);
        metrics.parked((int) failures.stream().filter(f -> parks(f.row())).count());
        if (updated[0] < outcome.toMark().size()) {
            LOG.warn("lease lost during batch: instance={} acked={} marked={} (the new owner sends the rest again)",
                    config.instanceId(), outcome.toMark().size(), updated[0]);
        }
        if (outcome.retriableFailures() > 0) {
            circuit.failure();
            brokerFailures++;
            Duration pause = backoff.delay(brokerFailures);
            LOG.warn("batch had retriable send errors: instance={} failed={} acked={} nextTryMs={} firstError=\"{}\"",
                    config.instanceId(), outcome.retriableFailures(), outcome.toMark().size(), pause.toMillis(),
                    outcome.firstRetriableError());
            return pause;
        }
        circuit.success();
        brokerFailures = 0;
        if (!outcome.permanent().isEmpty()) {
            return backoff.delay(1);
        }
        return Duration.ZERO;
    }

    private boolean parks(ClaimedRow row) {
        return row.attempts() + 1 >= config.retry().maxAttempts();
    }

    private List<OutboxStatements.Failure> failures(BatchOutcome outcome, Map<Integer, Lease> mine) {
        List<OutboxStatements.Failure> failures = new ArrayList<>(outcome.permanent().size());
        List<CompletableFuture<PublishResult>> deadLetters = new ArrayList<>();
        for (BatchOutcome.Failed f : outcome.permanent()) {
            String error = f.error().getMessage();
            boolean parks = parks(f.row());
            LOG.warn("event refused by Kafka: eventId={} aggregate={} topic={} attempt={} parked={} error=\"{}\"",
                    f.row().record().id(), f.row().record().aggregateKey(), f.error().topic(), f.row().attempts() + 1,
                    parks, error);
            if (parks && config.deadLetterTopic() != null) {
                deadLetters.add(publisher.publishDeadLetter(f.row().record(), config.deadLetterTopic(), error));
            }
            failures.add(new OutboxStatements.Failure(f.row(), error, mine.get(f.row().shard())));
        }
        if (!deadLetters.isEmpty()) {
            publisher.flush();
            for (CompletableFuture<PublishResult> dl : deadLetters) {
                if (dl.join() instanceof PublishResult.Failed failed) {
                    LOG.error("dead-letter copy failed: eventId={} topic={} error=\"{}\" (the event stays PARKED in the table)",
                            failed.record().id(), config.deadLetterTopic(), failed.error().getMessage());
                }
            }
        }
        return failures;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
