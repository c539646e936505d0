package dev.letterbox.debezium.internal;

import dev.letterbox.debezium.CdcConfigException;
import dev.letterbox.debezium.CdcSettings;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.RelayContext;
import dev.letterbox.relay.spi.RelayStrategy;
import dev.letterbox.relay.spi.StrategyHealth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cdc} relay strategy: one instance holds the {@code cdc} lease and runs the Debezium
 * engine; the others stand by and take over when the lease expires. Life cycle
 * {@code NEW → RUNNING → STOPPING → STOPPED} with compare-and-set transitions; {@link #close()} is
 * idempotent and returns within about 20 s. Thread-safe.
 */
public final class CdcStrategy implements RelayStrategy {

    /** The lease whose holder streams. */
    public static final String LEASE = "cdc";

    private static final Logger LOG = LoggerFactory.getLogger(CdcStrategy.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    /**
     * What the strategy works with once it knows the database: read at {@link #create} or, when the
     * database cannot be reached then, by the lease loop as soon as it can.
     */
    private record Wired(DatabaseTarget target, Properties engineProperties, Duration offsetFlushInterval,
                         PostgresSlot slot, OutboxMarks marks) {

        static Wired of(RelayContext context, CdcSettings settings, DatabaseTarget target) {
            if (settings.writeMode() == WriteMode.LOGICAL_MESSAGE && target.kind() != DatabaseTarget.Kind.POSTGRES) {
                throw new CdcConfigException("debezium." + CdcSettings.WRITE_MODE, "logical-message",
                        "is PostgreSQL only (pg_logical_emit_message), the outbox database is MariaDB/MySQL: write with"
                                + " insert-and-delete or table, and set the same mode here");
            }
            Properties engineProperties = EngineProperties.build(target, settings);
            PostgresSlot slot = target.kind() == DatabaseTarget.Kind.POSTGRES ? new PostgresSlot(context.dataSource(),
                    target, EngineProperties.slotName(target, settings), EngineProperties.publicationName(target, settings))
                    : null;
            return new Wired(target, engineProperties, EngineProperties.offsetFlushInterval(engineProperties), slot,
                    new OutboxMarks(context.dataSource(), target));
        }
    }

    private final RelayContext context;
    private final CdcSettings settings;
    private final CdcMetrics cdcMetrics;
    private volatile Wired wired;
    private volatile CdcConfigException configError;
    private boolean unreachableLogged;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Object tick = new Object();
    private volatile Lease lease;
    private volatile String lastError;
    private volatile EngineRunner runner;
    private Thread loop;
    private long lastRenewNanos;
    private long nextStartNanos;
    private Duration restartBackoff = Duration.ofSeconds(1);

    private CdcStrategy(RelayContext context, CdcSettings settings, Wired wired) {
        this.context = context;
        this.settings = settings;
        this.wired = wired;
        this.cdcMetrics = new CdcMetrics(context.instanceId());
    }

    /**
     * Validates the settings against the database and builds the strategy (state NEW). When the
     * database cannot be reached, the strategy is built all the same and reads the database's
     * address once it answers, as the lease loop retries (regression, issue 10 item 3: the service
     * exited 1 when the database went away while it waited for Kafka at start, where polling waits).
     *
     * @throws CdcConfigException when the write mode does not fit the database or a setting is invalid
     */
    public static CdcStrategy create(RelayContext context, CdcSettings settings) {
        DatabaseTarget target;
        try {
            target = DatabaseTarget.of(context.dataSource(), context.tables(), settings.debezium());
        } catch (DatabaseTarget.UnreachableException e) {
            LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.getMessage())
                    .log("cdc strategy starts without the database; it connects once the database answers");
            return new CdcStrategy(context, settings, null);
        }
        return new CdcStrategy(context, settings, Wired.of(context, settings, target));
    }

    /** The wiring, read now if the database could not be reached before; null while it cannot be. */
    private Wired wired() {
        Wired w = wired;
        if (w != null || configError != null) {
            return w;
        }
        try {
            w = Wired.of(context, settings, DatabaseTarget.of(context.dataSource(), context.tables(), settings.debezium()));
        } catch (DatabaseTarget.UnreachableException e) {
            lastError = e.getMessage();
            if (!unreachableLogged) {
                unreachableLogged = true;
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.getMessage())
                        .log("cdc strategy waits for the database (not ready), trying again every lease tick");
            }
            return null;
        } catch (CdcConfigException e) {
            configError = e;
            lastError = e.getMessage();
            LOG.atError().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.getMessage())
                    .log("cdc strategy cannot run with this configuration; fix it and restart the relay");
            return null;
        }
        wired = w;
        lastError = null;
        LOG.atInfo().addKeyValue("instance", context.instanceId()).addKeyValue("database", w.target().kind())
                .log("cdc strategy reached the database");
        return w;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the cdc strategy starts once, from NEW; it is " + state.get());
        }
        cdcMetrics.bindTo(context.meterRegistry());
        Wired w = wired;
        LOG.atInfo().addKeyValue("instance", context.instanceId())
                .addKeyValue("database", w == null ? "not reached yet" : w.target().kind())
                .addKeyValue("table", w == null ? "-" : w.target().quotedEventTable())
                .addKeyValue("write_mode", settings.writeMode())
                .addKeyValue("slot", w == null || w.slot() == null ? "-" : w.slot().slot())
                .addKeyValue("lease_ttl_ms", context.leases().ttl().toMillis()).log("cdc strategy starting");
        loop = new Thread(this::run, "outbox-cdc-lease-" + context.instanceId());
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        long period = Math.max(100, context.leases().ttl().toMillis() / 3);
        while (state.get() == State.RUNNING) {
            try {
                step();
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.toString())
                        .log("cdc lease step failed");
            }
            sampleSlotLag();
            synchronized (tick) {
                if (state.get() != State.RUNNING) {
                    break;
                }
                try {
                    tick.wait(period);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void step() {
        if (wired() == null) {
            return; // the database has not answered yet (or the configuration does not fit it)
        }
        Lease held = lease;
        if (held == null) {
            Optional<Lease> acquired = context.leases().tryAcquire(LEASE);
            if (acquired.isPresent()) {
                lease = acquired.get();
                lastRenewNanos = System.nanoTime();
                LOG.atInfo().addKeyValue("instance", context.instanceId()).addKeyValue("epoch", lease.epoch())
                        .log("cdc lease acquired, streaming");
                startEngine();
            }
            return;
        }
        Optional<Lease> renewed;
        try {
            renewed = context.leases().renew(held);
        } catch (RuntimeException e) {
            if (System.nanoTime() - lastRenewNanos > context.leases().ttl().toNanos()) {
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("epoch", held.epoch())
                        .log("cdc lease could not be renewed within its TTL, stopping the stream");
                lease = null;
                stopEngine();
            }
            throw e;
        }
        if (renewed.isEmpty()) {
            LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("epoch", held.epoch())
                    .log("cdc lease lost to another instance, stopping the stream");
            lease = null;
            stopEngine();
            return;
        }
        lastRenewNanos = System.nanoTime();
        EngineRunner r = runner;
        if (r == null || r.finished()) {
            if (r != null) {
                lastError = r.failure();
                stopEngine();
                nextStartNanos = System.nanoTime() + restartBackoff.toNanos();
                LOG.atWarn().addKeyValue("instance", context.instanceId())
                        .addKeyValue("restart_in_ms", restartBackoff.toMillis()).addKeyValue("error", lastError)
                        .log("cdc engine stopped, restarting");
                restartBackoff = restartBackoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0
                        ? MAX_RESTART_BACKOFF : restartBackoff.multipliedBy(2);
            } else if (System.nanoTime() >= nextStartNanos) {
                startEngine();
            }
        }
    }

    private synchronized void startEngine() {
        Lease held = lease;
        Wired w = wired;
        if (state.get() != State.RUNNING || runner != null || held == null || w == null) {
            return;
        }
        if (w.slot() != null) {
            try {
                w.slot().ensurePublication();
            } catch (java.sql.SQLException e) {
                lastError = e.getMessage();
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.getMessage())
                        .log("could not create the publication, will retry");
                return;
            }
        }
        BatchPublisher consumer = new BatchPublisher(new BatchPublisher.Wiring(context.publisher(), context.metrics(),
                cdcMetrics, MarkWriter.into(w.marks(), settings.writeMode() == WriteMode.TABLE),
                new RecordDecoder(settings.messagePrefix()), settings.writeMode(), context.config().retry(),
                context.config().deadLetterTopic(), context.clock(), () -> lease,
                () -> state.get() != State.RUNNING || lease == null, w.offsetFlushInterval(),
                context.instanceId()));
        EngineRunner r = new EngineRunner(FencedOffsetStore.fence(w.engineProperties(), w.target(), held), consumer,
                "outbox-cdc-engine-" + context.instanceId());
        runner = r;
        r.start();
        cdcMetrics.active(true);
    }

    private synchronized void stopEngine() {
        EngineRunner r = runner;
        runner = null;
        cdcMetrics.active(false);
        if (r != null) {
            r.close();
        }
    }

    private void sampleSlotLag() {
        Wired w = wired;
        if (w == null || w.slot() == null) {
            return;
        }
        try {
            cdcMetrics.slotLag(w.slot().lagBytes());
        } catch (java.sql.SQLException | RuntimeException e) {
            cdcMetrics.slotLag(Double.NaN);
        }
    }

    @Override
    public StrategyHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        State s = state.get();
        Lease l = lease;
        EngineRunner r = runner;
        details.put("state", s.name());
        details.put("role", l == null ? "standby" : "active");
        if (l != null) {
            details.put("leaseEpoch", l.epoch());
        }
        details.put("slotLagBytes", cdcMetrics.slotLag());
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        boolean streaming = l != null && r != null && !r.finished();
        if (wired == null) {
            details.put("database", configError != null ? "configuration does not fit the database" : "not reached yet");
        }
        boolean ready = s == State.RUNNING && wired != null && (l == null || streaming);
        return ready ? StrategyHealth.ready(details) : StrategyHealth.notReady(details);
    }

    @Override
    public void close() {
        if (state.compareAndSet(State.NEW, State.STOPPED)) {
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        synchronized (tick) {
            tick.notifyAll();
        }
        try {
            loop.join(context.leases().ttl().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopEngine();
        Lease l = lease;
        lease = null;
        if (l != null) {
            try {
                context.leases().release(l);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.toString())
                        .log("could not release the cdc lease; it expires by itself");
            }
        }
        state.set(State.STOPPED);
        LOG.atInfo().addKeyValue("instance", context.instanceId()).log("cdc strategy stopped");
    }
}
