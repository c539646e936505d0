package dev.letterbox.relay.internal;

import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.spi.RelayContext;
import dev.letterbox.relay.spi.RelayStrategy;
import dev.letterbox.relay.spi.StrategyHealth;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling strategy: a lease thread that keeps this instance's fair share of the 64 shards,
 * and {@code relay.polling.workers} poller threads that claim, send and mark batches from them.
 * Threads are daemon threads named {@code outbox-relay-poller-<n>} (each with its helpers
 * {@code outbox-relay-poller-<n>-claims} and {@code -marks}) and {@code outbox-relay-leases}
 * (plus {@code outbox-relay-listener} with {@code relay.polling.listen-notify});
 * {@link #close()} stops them, waits for the in-flight batches (bounded) and releases the leases.
 * Thread-safe.
 */
final class PollingStrategy implements RelayStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(PollingStrategy.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    private final RelayConfig config;
    private final ShardLeases leases;
    private final List<PollingWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** One per poller, so a wake-up (NOTIFY) reaches every poller, not only the first to wait. */
    private final List<Waker> pollerWakers = new ArrayList<>();
    private final Waker leaseWaker = new Waker();
    private final NotifyListener listener;
    private final RetryConfig retry;
    private final OutageLog leaseOutage = new OutageLog(LOG, "database (lease thread)");
    private final AtomicInteger state = new AtomicInteger(0);
    private final Db db;
    private final LeaseStore store;
    private final RelayContext context;
    /** Set on the first lease cycle that reaches the database (the mode depends on its dialect). */
    private volatile PollingModeGuard guard;
    private volatile long lastLeaseCycleNanos;
    private volatile String lastError;

    PollingStrategy(RelayContext context, PollingHooks hooks) {
        this.config = context.config();
        this.context = context;
        this.db = new Db(context.dataSource(), context.tables());
        this.store = new LeaseStore(db, config.instanceId(), config.polling().leaseTtl());
        int n = config.polling().workers();
        this.leases = new ShardLeases(db, store, context.metrics(), hooks,
                shard -> workers.get(shard % n).busy(), config.polling().packed());
        BrokerCircuit circuit = new BrokerCircuit(config.circuitBreaker(), context.metrics(), config.instanceId());
        OutboxStatements statements = new OutboxStatements(db, config.instanceId(),
                config.parkedPolicy() == dev.letterbox.relay.ParkedPolicy.HOLD_AGGREGATE);
        for (int i = 0; i < n; i++) {
            Waker waker = new Waker();
            pollerWakers.add(waker);
            workers.add(new PollingWorker(i, n, config, db, statements, leases, context.publisher(), context.metrics(),
                    circuit, hooks, waker));
        }
        this.retry = config.retry();
        this.listener = config.polling().listenNotify()
                ? new NotifyListener(db, context.tables().prefix() + "event", pollerWakers, config.retry())
                : null;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("the polling strategy was already started");
        }
        threads.add(thread("outbox-relay-leases", this::leaseLoop));
        for (int i = 0; i < workers.size(); i++) {
            threads.add(thread("outbox-relay-poller-" + i, workers.get(i)));
        }
        threads.forEach(Thread::start);
        if (listener != null) {
            listener.start();
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(CallerMdc.wrap(body), name);
        t.setDaemon(true);
        return t;
    }

    private void leaseLoop() {
        Duration every = config.polling().leaseTtl().dividedBy(3);
        while (!leaseWaker.stopped()) {
            Duration pause = every;
            try {
                checkMode();
                java.util.Set<Integer> held = java.util.Set.copyOf(leases.owned().keySet());
                leases.cycle();
                if (!held.containsAll(leases.owned().keySet())) {
                    // shards taken over may hold events already: a poller in its idle pause or dozing reads them now
                    pollerWakers.forEach(Waker::wakeIfWaiting);
                }
                lastLeaseCycleNanos = System.nanoTime();
                leaseOutage.succeeded();
                lastError = null;
            } catch (PollingModeGuard.ModeConflict e) {
                leases.dropAll();
                if (!e.getMessage().equals(lastError)) {
                    LOG.atError().addKeyValue("instance", config.instanceId()).addKeyValue("error", e.getMessage())
                            .log("polling mode conflict: this instance does not publish");
                }
                lastError = e.getMessage();
            } catch (SQLException | RuntimeException e) {
                pause = min(every, retry.backoff((int) Math.min(30, leaseOutage.failures() + 1)));
                leaseOutage.failed(e, pause);
                lastError = e.getMessage();
                if (System.nanoTime() - lastLeaseCycleNanos > config.polling().leaseTtl().toNanos()) {
                    leases.dropAll();
                }
            }
            leaseWaker.await(pause);
        }
    }

    /**
     * Resolves {@code relay.polling.mode} against the database once (auto: log on PostgreSQL unless
     * mark-mode instances run the table, see {@link PollingModeGuard#resolveAuto}), hands each poller
     * its log-mode state, then checks the table's mode on every cycle.
     */
    private void checkMode() throws SQLException {
        PollingModeGuard g = guard;
        if (g == null) {
            SqlDialect d = db.dialect();
            String mode = config.polling().mode();
            if ("auto".equals(mode) && d != SqlDialect.POSTGRES) {
                mode = "mark";
            } else if ("auto".equals(mode)) {
                java.util.Map.Entry<String, Integer> auto = PollingModeGuard.resolveAuto(db, store);
                mode = auto.getKey();
                if (auto.getValue() > 0) {
                    LOG.atWarn().addKeyValue("instance", config.instanceId()).addKeyValue("mark_instances", auto.getValue())
                            .log("relay.polling.mode auto: other live instances run this table in mark mode, so this one"
                                    + " runs mark mode too; the table switches to log mode when every instance restarts"
                                    + " together with auto or log, or set relay.polling.mode: mark to keep mark mode");
                }
            } else if ("log".equals(mode) && d != SqlDialect.POSTGRES) {
                throw new IllegalStateException("relay.polling.mode: log needs PostgreSQL (this database is " + d
                        + "): set relay.polling.mode to mark or auto");
            }
            if ("log".equals(mode)) {
                String sequence = db.qualified(context.tables().prefix() + "event_seq");
                LogPositions positions = new LogPositions(db, config.instanceId());
                boolean hold = config.parkedPolicy() == dev.letterbox.relay.ParkedPolicy.HOLD_AGGREGATE;
                IdleWatch watch = new IdleWatch(pollerWakers, config.polling().listenNotify(),
                        config.polling().idleBackoffMax());
                for (PollingWorker w : workers) {
                    w.useLogMode(new LogMode(new LogReader(db, db.eventTable(), sequence, hold,
                            config.polling().horizonWait(), System::nanoTime), positions,
                            config.polling().positionFlushInterval()), watch);
                }
            }
            if ("log".equals(mode)) {
                context.metrics().horizonAge(() -> {
                    LogReader.Stall s = stall();
                    return s == null ? Double.NaN : s.ageNanos() / 1e9;
                });
            }
            g = new PollingModeGuard(db, store, mode);
            LOG.atInfo().addKeyValue("instance", config.instanceId()).addKeyValue("mode", mode).log("polling mode");
            guard = g;
        }
        g.check();
    }

    /** The horizon of log mode's pollers: the oldest stall among them, or null in mark mode. */
    LogReader.Stall stall() {
        LogReader.Stall worst = null;
        for (PollingWorker w : workers) {
            LogReader.Stall s = w.stall();
            if (s != null && (worst == null || s.ageNanos() > worst.ageNanos())) {
                worst = s;
            }
        }
        return worst;
    }

    @Override
    public void wakeUp() {
        pollerWakers.forEach(Waker::wakeIfWaiting);
    }

    @Override
    public StrategyHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        int owned = leases.owned().size();
        details.put("ownedShards", owned);
        PollingModeGuard g = guard;
        if (g != null) {
            details.put("mode", g.mode());
        }
        LogReader.Stall stall = stall();
        if (stall != null) {
            details.put("horizonAgeSeconds", stall.ageNanos() / 1e9);
            List<Map<String, Object>> blockers = new ArrayList<>();
            for (PollingWorker w : workers) {
                w.horizonBlockers().forEach(b -> blockers.add(b.asMap()));
            }
            if (!blockers.isEmpty()) {
                details.put("horizonHeldBackBy", blockers);
            }
        }
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        boolean fresh = lastLeaseCycleNanos != 0
                && System.nanoTime() - lastLeaseCycleNanos < config.polling().leaseTtl().toNanos();
        return state.get() == 1 && fresh ? StrategyHealth.ready(details) : StrategyHealth.notReady(details);
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        if (listener != null) {
            listener.close();
        }
        pollerWakers.forEach(Waker::stop);
        leaseWaker.stop();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.atWarn().addKeyValue("thread", t.getName())
                        .log("thread did not stop in time, leaving it (its batch is fenced off)");
            }
        }
        try {
            leases.releaseAll();
        } catch (SQLException | RuntimeException e) {
            LOG.atWarn().addKeyValue("expires_in_ms", config.polling().leaseTtl().toMillis())
                    .addKeyValue("error", e.getMessage()).log("releasing shard leases failed; they expire by themselves");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
