package dev.letterbox.relay.internal;

import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.PermanentPublishException;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RetriablePublishException;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.PublishResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller thread's loop over its slice of this instance's shards: claim a batch (one
 * statement), send it asynchronously, wait for the acks, mark what was acknowledged (one statement,
 * fenced by the lease epochs), repeat at once while batches come back non-empty and back off while
 * idle. No transaction or row lock is held while Kafka is waited for.
 *
 * <p>Three steps of consecutive batches overlap. Once a batch is handed to the producer, the
 * next batch is claimed ahead on the poller's claimer thread ({@code outbox-relay-poller-<n>-claims})
 * while the poller waits for the acks (only after a full batch, when there is a backlog: after a
 * partial one it claims after the acks, so as not to miss what was committed meanwhile); a batch
 * that Kafka acknowledged in full is marked on its
 * marker thread ({@code outbox-relay-poller-<n>-marks}) while the poller sends the next one. Every
 * claim leaves out the rows in flight (sent and not yet marked), which still read as PENDING; the
 * poller waits for a mark before it starts the next, so at most one mark is in flight and every
 * claim either leaves its rows out or runs after it committed. A batch claimed ahead is sent only
 * after the batch before it was acknowledged in full and with the same leases; otherwise it is
 * dropped unsent (a claim changes nothing) and claimed again. A batch with any failure is marked
 * on the poller thread before the next claim, so a parked event holds back its aggregate's later
 * events from the very next claim. At most two batches per poller are acknowledged and not yet
 * marked, which bounds the duplicates a crash leaves. Runs on one thread (plus the two helpers).
 */
final class PollingWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollingWorker.class);
    private static final Duration CIRCUIT_POLL = Duration.ofMillis(200);
    /** Log mode: the pause while drawn sequence values wait for their transactions to end. */
    private static final Duration UNSETTLED_PAUSE = Duration.ofMillis(2);
    /** How long a stopping poller waits for its claim made ahead. */
    private static final Duration HELPER_STOP = Duration.ofSeconds(5);

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
    private final RetryConfig retry;
    private final OutageLog dbOutage;
    private final ExecutorService marker;
    private final ExecutorService claimer;
    /** Log mode's reader and positions, or null in mark mode. */
    private volatile LogMode log;
    private volatile boolean busy;
    /** The fully acknowledged batch whose mark runs on the marker thread; set by the poller thread only. */
    private volatile InFlightMark inFlight;
    /** The next batch, claimed ahead while the last one was acknowledged; poller thread only. */
    private ClaimAhead ahead;
    private final IdleBackoff idle;
    private int brokerFailures;
    /** Log mode: the instance's idle watch, or null in mark mode. */
    private volatile IdleWatch idleWatch;
    /** When the poller thread last started a claim of its own, and whether that claim came back full. */
    private long lastClaimNanos;
    private boolean lastClaimFull = true;

    /** A batch being marked on the marker thread, and that mark's result. */
    private record InFlightMark(List<ClaimedRow> rows, Future<Integer> marked) {
    }

    /** A claim running on the claimer thread, with the leases it was made under. */
    private record ClaimAhead(Map<Integer, Lease> leases, Future<Claimed> rows) {
    }

    /** A claim's rows; in log mode also the reader's batch (its positions), else null. */
    private record Claimed(List<ClaimedRow> rows, LogReader.Batch batch) {
    }

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
        this.retry = config.retry();
        this.dbOutage = new OutageLog(LOG, "database (poller " + index + ")");
        this.idle = new IdleBackoff(config.polling().idleBackoffMin(), config.polling().idleBackoffMax(), System::nanoTime);
        this.marker = helper("outbox-relay-poller-" + index + "-marks");
        this.claimer = helper("outbox-relay-poller-" + index + "-claims");
    }

    private static ExecutorService helper(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(CallerMdc.wrap(r), name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Switches this poller to log mode; called once, before it owns any shard. */
    void useLogMode(LogMode mode, IdleWatch watch) {
        this.log = mode;
        this.idleWatch = watch;
    }

    /** Where log mode's horizon stands for this poller, or null in mark mode. */
    LogReader.Stall stall() {
        LogMode m = log;
        return m == null ? null : m.stall();
    }

    /** What held log mode's horizon back when last looked at; empty in mark mode. */
    List<HorizonBlockers.Blocker> horizonBlockers() {
        LogMode m = log;
        return m == null ? List.of() : m.blockers();
    }

    /** Whether this poller handles the shard. */
    boolean handles(int shard) {
        return shard % workers == index;
    }

    /** True while this poller is inside a batch (from reading its leases to the mark) or a mark is in flight. */
    boolean busy() {
        InFlightMark mark = inFlight;
        return busy || mark != null && !mark.marked().isDone();
    }

    @Override
    public void run() {
        while (!waker.stopped()) {
            Duration pause;
            try {
                pause = step();
            } catch (SQLException e) {
                pause = retry.backoff((int) Math.min(30, dbOutage.failures() + 1));
                dbOutage.failed(e, pause);
            } catch (RuntimeException e) {
                pause = retry.backoff((int) Math.min(30, dbOutage.failures() + 1));
                LOG.atError().setCause(e).addKeyValue("poller", index).addKeyValue("next_try_ms", pause.toMillis())
                        .log("poller step failed");
            } finally {
                busy = false;
            }
            pauseBeforeNextClaim(pause);
        }
        try {
            if (log != null) {
                storePositions(leases.owned());
            }
            finishInFlightMark();
        } catch (SQLException | RuntimeException e) {
            LOG.atWarn().addKeyValue("poller", index).addKeyValue("error", e.getMessage())
                    .log("the last mark failed; its events are sent again by the next owner of their shards");
        } finally {
            // a claim made ahead may still run: let it end before the caller closes the pool under it
            marker.shutdown();
            claimer.shutdown();
            try {
                claimer.awaitTermination(HELPER_STOP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Pauses {@code pause}, and at least until {@code relay.polling.read-interval} has passed since
     * the last claim when that claim was not full: a wake-up (NOTIFY, {@code Relay.wakeUp()}) ends
     * an idle pause early, never the read interval, so at a steady rate the events committed
     * meanwhile go out in one claim.
     */
    private void pauseBeforeNextClaim(Duration pause) {
        long interval = config.polling().readInterval().toNanos();
        long until = interval == 0 || lastClaimFull ? 0 : lastClaimNanos + interval;
        long left = until - System.nanoTime();
        if (left > pause.toNanos()) {
            pause = Duration.ofNanos(left);
        }
        if (pause.isZero()) {
            return;
        }
        waker.await(pause);
        while (until != 0 && !waker.stopped() && (left = until - System.nanoTime()) > 0) {
            waker.await(Duration.ofNanos(left));
        }
    }

    /** One claim-send-mark round; returns how long to pause before the next. */
    Duration step() throws SQLException {
        // a batch claimed ahead is used by the very next round only, and only under the same leases
        ClaimAhead claimedAhead = ahead;
        ahead = null;
        Duration wait = circuit.waitTime();
        if (!wait.isZero()) {
            return min(wait, CIRCUIT_POLL);
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
        Claimed claimed = null;
        if (claimedAhead != null) {
            // always let the claim ahead finish: in log mode it moved the reader's cursors
            Claimed made = result(claimedAhead.rows(), "the claim ahead");
            if (claimedAhead.leases().equals(mine)) {
                claimed = made;
            } else if (log != null) {
                log.reader().rewind(made.rows(), List.of());
            }
        }
        if (claimed == null) {
            List<ClaimedRow> beingMarked = inFlight == null ? List.of() : inFlight.rows();
            lastClaimNanos = System.nanoTime();
            claimed = db.run(c -> claim(c, mine, batchSize, beingMarked));
        }
        List<ClaimedRow> rows = claimed.rows();
        lastClaimFull = rows.size() == batchSize;
        LogReader.Batch batch = claimed.batch();
        dbOutage.succeeded();
        if (rows.isEmpty()) {
            if (log != null && !batch.caughtUp()) {
                // sequence values are drawn whose transactions still run: they settle within milliseconds,
                // so look again soon instead of letting the idle backoff grow
                log.reader().acked(batch);
                return min(idle.next(), UNSETTLED_PAUSE);
            }
            Duration pause = idle.empty();
            if (log != null) {
                // nothing to send: the positions this read reached are as good as acknowledged
                log.reader().acked(batch);
                if (log.flushDue()) {
                    storePositions(mine);
                }
                if (pause.equals(config.polling().idleBackoffMax()) && dozes()) {
                    // idle for a while: leave the watching to the sentinel (or to NOTIFY), which wakes this
                    // poller as soon as a read sees the sequence move; what was published is stored first
                    storePositions(mine);
                    if (idleWatch.tryDoze(index, log.reader().lastValue())) {
                        return idleWatch.doze(sentinel());
                    }
                    idle.restart();
                    return Duration.ZERO;
                }
            } else {
                finishInFlightMark();
            }
            return pause;
        }
        idle.rows();
        if (!circuit.tryAcquire()) {
            return CIRCUIT_POLL;
        }
        metrics.batchSize(rows.size());
        // the breaker learns the broker's answer before the database is touched again. Regression: it
        // was told after the mark, so a mark that failed (database down) during a half-open trial
        // kept the trial's only permit, and the relay never sent again
        BatchOutcome outcome;
        Future<Claimed> next;
        try {
            List<CompletableFuture<PublishResult>> sends = sendAll(rows);
            next = rows.size() == batchSize ? claimAhead(mine, batchSize, rows) : null;
            outcome = awaitAcks(rows, sends);
        } catch (RuntimeException e) {
            circuit.failure();
            throw e;
        }
        if (outcome.retriableFailures() > 0) {
            circuit.failure();
        } else {
            circuit.success();
        }
        // the previous batch's mark commits before this one's starts: the next claim leaves out only this batch
        finishInFlightMark();
        List<OutboxStatements.Failure> failures = failures(outcome, mine);
        List<Lease> fences = List.copyOf(mine.values());
        if (log != null) {
            return afterLogBatch(rows, batch, outcome, failures, mine, next);
        }
        if (failures.isEmpty() && outcome.toMark().size() == rows.size() && !waker.stopped()) {
            inFlight = new InFlightMark(rows, marker.submit(() -> mark(rows, outcome.toMark(), List.of(), fences)));
            ahead = next == null ? null : new ClaimAhead(mine, next);
            brokerFailures = 0;
            return Duration.ZERO;
        }
        mark(rows, outcome.toMark(), failures, fences);
        return pauseAfterFailures(outcome);
    }

    /**
     * Whether this idle poller may doze: log mode, no transaction holding the horizon back (its rows
     * are read when it ends, which the sequence does not show), and either NOTIFY wakes the pollers
     * or this poller is not the sentinel, which keeps reading at the idle backoff.
     */
    private boolean dozes() {
        IdleWatch watch = idleWatch;
        if (watch == null || !log.reader().stall().blockers().isEmpty()) {
            return false;
        }
        return watch.notified() || !sentinel();
    }

    /** Whether this poller is its instance's sentinel: the lowest-numbered one holding shards. */
    private boolean sentinel() {
        int sentinel = Integer.MAX_VALUE;
        for (Integer shard : leases.owned().keySet()) {
            sentinel = Math.min(sentinel, shard % workers);
        }
        return sentinel == index;
    }

    /** The pause after a batch with failures: the broker backoff after retriable ones, one step after permanent ones. */
    private Duration pauseAfterFailures(BatchOutcome outcome) {
        if (outcome.retriableFailures() > 0) {
            brokerFailures++;
            Duration pause = retry.backoff(brokerFailures);
            LOG.atWarn().addKeyValue("instance", config.instanceId()).addKeyValue("failed", outcome.retriableFailures())
                    .addKeyValue("acked", outcome.toMark().size()).addKeyValue("next_try_ms", pause.toMillis())
                    .addKeyValue("first_error", outcome.firstRetriableError()).log("batch had retriable send errors");
            return pause;
        }
        brokerFailures = 0;
        return outcome.permanent().isEmpty() ? Duration.ZERO : retry.backoff(1);
    }

    /**
     * Claims the next batch on the claimer thread while Kafka acknowledges this one, leaving out
     * every row in flight. Only after a full batch: there is a backlog, and the claim's time is
     * saved from every batch. After a partial batch the poller has caught up, and a claim made
     * before the acks would miss the events committed meanwhile, which would then wait a whole
     * round more; the poller claims after the acks instead.
     */
    private Future<Claimed> claimAhead(Map<Integer, Lease> mine, int batchSize, List<ClaimedRow> rows) {
        List<ClaimedRow> inFlightRows = new ArrayList<>(rows);
        if (inFlight != null) {
            inFlightRows.addAll(inFlight.rows());
        }
        return claimer.submit(() -> db.run(c -> claim(c, mine, batchSize, inFlightRows)));
    }

    /** One claim: mark mode's statement, or log mode's read past the cursors (no row is changed). */
    private Claimed claim(java.sql.Connection c, Map<Integer, Lease> mine, int batchSize, List<ClaimedRow> inFlightRows)
            throws SQLException {
        if (log == null) {
            return new Claimed(statements.claim(c, mine.keySet(), batchSize, inFlightRows), null);
        }
        log.reader().sync(c, mine, log.positions());
        IdleWatch watch = idleWatch;
        if (watch != null) {
            watch.awake(index);
        }
        LogReader.Batch b = log.reader().read(c, batchSize);
        if (watch != null) {
            watch.saw(log.reader().lastValue());
        }
        log.stall(log.reader().stall());
        log.report(c, config.polling().horizonWait(), config.instanceId());
        return new Claimed(b.rows(), b);
    }

    /**
     * Log mode after a batch's acks: a batch acknowledged in full makes its positions storable (stored
     * at once after a full batch, else at most every flush interval, on the marker thread); otherwise
     * the failures are recorded (a parked row is never read again), the reader moves back before what
     * must be sent again, and the batch claimed ahead is dropped.
     */
    private Duration afterLogBatch(List<ClaimedRow> rows, LogReader.Batch batch, BatchOutcome outcome,
                                   List<OutboxStatements.Failure> failures, Map<Integer, Lease> mine,
                                   Future<Claimed> next) throws SQLException {
        Claimed nextClaimed = next == null ? null : result(next, "the claim ahead");
        LogReader reader = log.reader();
        if (failures.isEmpty() && outcome.toMark().size() == rows.size()) {
            hooks.beforeMark(rows);
            reader.acked(batch);
            metrics.published(rows.size());
            if (rows.size() == config.polling().batchSize() || log.flushDue()) {
                storePositions(mine, rows);
            } else {
                hooks.afterMark(rows.size(), rows.size());
            }
            ahead = nextClaimed == null || waker.stopped() ? null
                    : new ClaimAhead(mine, java.util.concurrent.CompletableFuture.completedFuture(nextClaimed));
            if (ahead == null && nextClaimed != null) {
                reader.rewind(nextClaimed.rows(), List.of());
            }
            brokerFailures = 0;
            return Duration.ZERO;
        }
        if (nextClaimed != null) {
            reader.rewind(nextClaimed.rows(), List.of());
        }
        hooks.beforeMark(rows);
        int recorded = db.run(c -> statements.recordFailures(c, failures, config.retry().maxAttempts()));
        Set<ClaimedRow> settled = new HashSet<>(outcome.toMark());
        for (OutboxStatements.Failure f : failures) {
            if (parks(f.row()) && recorded > 0) {
                settled.add(f.row());
            }
        }
        List<ClaimedRow> again = new ArrayList<>();
        for (ClaimedRow r : rows) {
            if (!settled.contains(r)) {
                again.add(r);
            }
        }
        reader.rewind(again, outcome.toMark());
        hooks.afterMark(outcome.toMark().size(), outcome.toMark().size());
        metrics.published(outcome.toMark().size());
        metrics.parked((int) failures.stream().filter(f -> parks(f.row())).count());
        return pauseAfterFailures(outcome);
    }

    /** Log mode: stores the acknowledged positions (one statement, fenced by the leases). */
    private void storePositions(Map<Integer, Lease> mine) throws SQLException {
        storePositions(mine, List.of());
    }

    /**
     * Log mode: stores the acknowledged positions on the poller thread (one small statement on the
     * lease rows, fenced by the leases); {@code batch} is the batch that made them storable, for the
     * hooks: its rows count as marked when their shard's stored position now covers them.
     */
    private void storePositions(Map<Integer, Lease> mine, List<ClaimedRow> batch) throws SQLException {
        Map<Integer, Long> reached = log.unstored();
        Set<Integer> stored = reached.isEmpty() ? Set.of() : db.run(c -> log.positions().store(c, reached, mine));
        log.stored(reached);
        if (!batch.isEmpty()) {
            int covered = 0;
            for (ClaimedRow r : batch) {
                Long p = reached.get(r.shard());
                if (stored.contains(r.shard()) && p != null && r.seq() <= p) {
                    covered++;
                }
            }
            hooks.afterMark(batch.size(), covered);
        }
    }

    /**
     * Marks the acknowledged rows PUBLISHED and records the failures, in one connection, fenced by
     * the leases; counts them; returns the rows marked.
     */
    private int mark(List<ClaimedRow> rows, List<ClaimedRow> acked, List<OutboxStatements.Failure> failures,
                     List<Lease> fences) throws SQLException {
        hooks.beforeMark(rows);
        int[] updated = db.run(c -> new int[] {
                statements.markPublished(c, acked, fences),
                statements.recordFailures(c, failures, config.retry().maxAttempts())});
        hooks.afterMark(acked.size(), updated[0]);
        metrics.published(updated[0]);
        metrics.parked((int) failures.stream().filter(f -> parks(f.row())).count());
        if (updated[0] < acked.size()) {
            LOG.atWarn().addKeyValue("instance", config.instanceId()).addKeyValue("acked", acked.size())
                    .addKeyValue("marked", updated[0]).log("lease lost during batch (the new owner sends the rest again)");
        }
        return updated[0];
    }

    /**
     * Waits for the mark in flight on the marker thread, if any; rethrows its failure (its rows stay
     * PENDING and go again: duplicates, never a loss).
     */
    private void finishInFlightMark() throws SQLException {
        InFlightMark mark = inFlight;
        if (mark == null) {
            return;
        }
        inFlight = null;
        result(mark.marked(), "the mark of " + mark.rows().size() + " events");
    }

    /** The result of work done on a helper thread, its failure rethrown as it was. */
    private static <T> T result(Future<T> work, String what) throws SQLException {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }

    /** Flushes the producer and waits for every ack or error of the batch's sends. */
    private BatchOutcome awaitAcks(List<ClaimedRow> rows, List<CompletableFuture<PublishResult>> sends) {
        publisher.flush();
        List<PublishResult> results = new ArrayList<>(rows.size());
        for (CompletableFuture<PublishResult> send : sends) {
            results.add(send == null ? null : send.join());
        }
        return BatchOutcome.of(rows, results);
    }

    /**
     * Sends the rows in order, but stops at the first send refused at once with a retriable error
     * (the producer waited {@code max.block.ms} for metadata or buffer space, or is closed): the
     * rest of the batch would wait as long each, one after another, so it counts as not sent and
     * goes again after the backoff. Regression: with the broker down, a batch of 500 took 500 times
     * {@code max.block.ms} (83 minutes with the defaults) before the circuit breaker could open,
     * and {@code close()} left the poller thread running.
     */
    private List<CompletableFuture<PublishResult>> sendAll(List<ClaimedRow> rows) {
        List<CompletableFuture<PublishResult>> sends = new ArrayList<>(rows.size());
        PublishResult.Failed refused = null;
        Set<String> refusedAggregates = new HashSet<>();
        for (ClaimedRow row : rows) {
            if (refusedAggregates.contains(row.record().aggregateKey())) {
                // an earlier event of this aggregate was refused for good: sending this one now would put
                // it in Kafka before its predecessor (regression: with the refused event later parked,
                // its successor had already been delivered, several times, out of order)
                sends.add(null);
                continue;
            }
            if (row.defect() != null) {
                refusedAggregates.add(row.record().aggregateKey());
                sends.add(CompletableFuture.completedFuture(PublishResult.failed(row.record(),
                        new PermanentPublishException(row.defect(), row.record().id(), publisher.topicFor(row.record()),
                                null))));
                continue;
            }
            if (refused != null) {
                sends.add(CompletableFuture.completedFuture(PublishResult.failed(row.record(),
                        new RetriablePublishException("event " + row.record().id() + " was not sent: an earlier send of"
                                + " its batch was refused (" + refused.error().getMessage() + ")", row.record().id(),
                                refused.error().topic(), refused.error()))));
                continue;
            }
            CompletableFuture<PublishResult> send = publisher.publish(row.record());
            sends.add(send);
            if (send.isDone() && send.join() instanceof PublishResult.Failed f) {
                if (f.error().retriable()) {
                    refused = f;
                } else {
                    refusedAggregates.add(row.record().aggregateKey());
                }
            }
        }
        return sends;
    }

    private boolean parks(ClaimedRow row) {
        return row.defect() != null || row.attempts() + 1 >= config.retry().maxAttempts();
    }

    private List<OutboxStatements.Failure> failures(BatchOutcome outcome, Map<Integer, Lease> mine) {
        List<OutboxStatements.Failure> failures = new ArrayList<>(outcome.permanent().size());
        List<CompletableFuture<PublishResult>> deadLetters = new ArrayList<>();
        for (BatchOutcome.Failed f : outcome.permanent()) {
            boolean parks = parks(f.row());
            String error = RefusalText.error(f.row(), f.error().getMessage(), parks, config.retry().maxAttempts());
            LOG.atWarn().addKeyValue("event_id", f.row().record().id())
                    .addKeyValue("aggregate", f.row().record().aggregateKey()).addKeyValue("topic", f.error().topic())
                    .addKeyValue("attempt", f.row().attempts() + 1).addKeyValue("parked", parks).addKeyValue("error", error)
                    .log(RefusalText.message(f.row(), parks));
            if (parks && config.deadLetterTopic() != null && !f.row().held()) {
                deadLetters.add(publisher.publishDeadLetter(f.row().record(), config.deadLetterTopic(), error));
            }
            failures.add(new OutboxStatements.Failure(f.row(), error, mine.get(f.row().shard())));
        }
        if (!deadLetters.isEmpty()) {
            publisher.flush();
            for (CompletableFuture<PublishResult> dl : deadLetters) {
                if (dl.join() instanceof PublishResult.Failed failed) {
                    LOG.atError().addKeyValue("event_id", failed.record().id()).addKeyValue("topic", config.deadLetterTopic())
                            .addKeyValue("error", failed.error().getMessage())
                            .log("dead-letter copy failed (the event stays PARKED in the table)");
                }
            }
        }
        return failures;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
