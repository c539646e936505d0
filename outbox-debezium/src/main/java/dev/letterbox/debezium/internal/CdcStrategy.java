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

    private final RelayContext context;
    private final CdcSettings settings;
    private final DatabaseTarget target;
    private final Properties engineProperties;
    private final Duration offsetFlushInterval;
    private final PostgresSlot slot;
    private final CdcMetrics cdcMetrics;
    private final OutboxMarks marks;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Object tick = new Object();
    private volatile Lease lease;
    private volatile String lastError;
    private volatile EngineRunner runner;
    private Thread loop;
    private long lastRenewNanos;
    private long nextStartNanos;
    private Duration restartBackoff = Duration.ofSeconds(1);

    private CdcStrategy(RelayContext context, CdcSettings settings, DatabaseTarget target) {
        this.context = context;
        this.settings = settings;
        this.target = target;
        this.engineProperties = EngineProperties.build(target, settings);
        this.offsetFlushInterval = EngineProperties.offsetFlushInterval(engineProperties);
        this.slot = target.kind() == DatabaseTarget.Kind.POSTGRES ? new PostgresSlot(context.dataSource(), target,
                EngineProperties.slotName(target, settings), EngineProperties.publicationName(target, settings)) : null;
        this.cdcMetrics = new CdcMetrics(context.instanceId());
        this.marks = new OutboxMarks(context.dataSource(), target);
    }

    /**
     * Validates the settings against the database and builds the strategy (state NEW).
     *
     * @throws CdcConfigException when the write mode does not fit the database or a setting is invalid
     */
    public static CdcStrategy create(RelayContext context, CdcSettings settings) {
        DatabaseTarget target = DatabaseTarget.of(context.dataSource(), context.tables(), settings.debezium());
        if (settings.writeMode() == WriteMode.LOGICAL_MESSAGE && target.kind() != DatabaseTarget.Kind.POSTGRES) {
            throw new CdcConfigException("debezium." + CdcSettings.WRITE_MODE, "logical-message",
                    "is PostgreSQL only (pg_logical_emit_message), the outbox database is MariaDB/MySQL: write with"
                            + " insert-and-delete or table, and set the same mode here");
        }
        return new CdcStrategy(context, settings, target);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the cdc strategy starts once, from NEW; it is " + state.get());
        }
        cdcMetrics.bindTo(context.meterRegistry());
        LOG.atInfo().addKeyValue("instance", context.instanceId()).addKeyValue("database", target.kind())
                .addKeyValue("table", target.quotedEventTable()).addKeyValue("write_mode", settings.writeMode())
                .addKeyValue("slot", slot == null ? "-" : slot.slot())
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
        if (state.get() != State.RUNNING || runner != null || held == null) {
            return;
        }
        if (slot != null) {
            try {
                slot.ensurePublication();
            } catch (java.sql.SQLException e) {
                lastError = e.getMessage();
                LOG.atWarn().addKeyValue("instance", context.instanceId()).addKeyValue("error", e.getMessage())
                        .log("could not create the publication, will retry");
                return;
            }
        }
        BatchPublisher consumer = new BatchPublisher(new BatchPublisher.Wiring(context.publisher(), context.metrics(),
                cdcMetrics, MarkWriter.into(marks, settings.writeMode() == WriteMode.TABLE),
                new RecordDecoder(settings.messagePrefix()), settings.writeMode(), context.config().retry(),
                context.config().deadLetterTopic(), context.clock(), () -> lease,
                () -> state.get() != State.RUNNING || lease == null, offsetFlushInterval,
                context.instanceId()));
        EngineRunner r = new EngineRunner(FencedOffsetStore.fence(engineProperties, target, held), consumer,
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
        if (slot == null) {
            return;
        }
        try {
            cdcMetrics.slotLag(slot.lagBytes());
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
        boolean ready = s == State.RUNNING && (l == null || streaming);
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
