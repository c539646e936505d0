package dev.letterbox.relay.service;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.service.internal.AdminServer;
import dev.letterbox.relay.service.internal.Databases;
import dev.letterbox.relay.service.internal.FatalStartupException;
import dev.letterbox.relay.service.internal.KafkaProbe;
import dev.letterbox.relay.service.internal.LogLevels;
import dev.letterbox.relay.service.internal.Readiness;
import dev.letterbox.relay.service.internal.ReadinessEvaluator;
import dev.letterbox.relay.service.internal.SchemaCheck;
import dev.letterbox.relay.service.internal.StartupWait;
import dev.letterbox.relay.service.internal.UnreachableException;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as a service: the admin HTTP server at once, then — on a background thread — waiting
 * for the database, checking the schema, waiting for Kafka, and starting the {@link Relay}. This is
 * what {@code outbox-relay.jar run} runs; it can also run inside another JVM (the quickstart).
 *
 * <pre>{@code
 * try (RelayService service = RelayService.start(ServiceConfig.load(Path.of("relay.yaml")))) {
 *     service.failure().toCompletableFuture().join();   // or wait for a stop signal
 * }
 * }</pre>
 *
 * <p>Thread-safe. Owns the connection pool, the relay, the admin server and their threads;
 * {@link #close()} stops them all (releasing leases), is idempotent and bounded in time.
 */
public final class RelayService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

    /** Where the service is in its start-up. */
    public enum Phase { WAITING_FOR_DATABASE, WAITING_FOR_KAFKA, RUNNING, STOPPING, STOPPED, FAILED }

    private final ServiceConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LogLevels logLevels = new LogLevels();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReadinessEvaluator readiness;
    private final AdminServer admin;
    private final Thread starter;
    private volatile Phase phase = Phase.WAITING_FOR_DATABASE;
    private volatile HikariDataSource dataSource;
    private volatile Relay relay;

    private RelayService(ServiceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // regression: /metrics had no outbox_* meters while the relay waited for the database or Kafka,
        // so dashboards and alerts could not see a relay that cannot start; the relay's own replace them
        RelayMetrics.create(config.relay().instanceId(), config.relay().strategy()).bindTo(registry);
        this.readiness = new ReadinessEvaluator(config.admin(), () -> phase, () -> relay);
        this.admin = AdminServer.start(config.admin().bindAddress(), config.admin().port(), readiness::current,
                registry, logLevels, config.admin().token());
        this.starter = new Thread(this::startUp, "outbox-relay-startup");
        this.starter.setDaemon(true);
    }

    /**
     * Starts the admin server and, in the background, the relay.
     *
     * @param config a loaded configuration
     * @return the running service; {@link #failure()} completes if it cannot start
     */
    public static RelayService start(ServiceConfig config) {
        RelayService service = new RelayService(config);
        service.starter.start();
        return service;
    }

    /** The port the admin server listens on (the chosen one when {@code admin.port} is 0). */
    public int adminPort() {
        return admin.port();
    }

    /** Where the service is in its life. */
    public Phase phase() {
        return phase;
    }

    /** True when {@code /health/ready} would answer 200. */
    public boolean ready() {
        return readiness.current().ready();
    }

    /** The registry the relay's meters are in; {@code /metrics} shows it. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * Completes with the error that keeps the service from running (schema missing or newer,
     * database refusing the credentials, ...); never completes while it runs or waits.
     */
    public CompletionStage<Throwable> failure() {
        return failure;
    }

    private void startUp() {
        ServiceConfig.Database db = config.database();
        OutboxTables tables = config.relay().tables();
        try {
            if (!new StartupWait("database", closed::get).await(() -> {
                Databases.probe(db);
                if (dataSource == null) {
                    dataSource = Databases.pool(db, "outbox-relay", db.poolSize());
                }
                try {
                    SchemaCheck.require(dataSource, tables, config.source());
                } catch (RuntimeException e) {
                    if (SchemaCheck.isConnectionFailure(e)) {
                        throw new UnreachableException("the database became unreachable (" + e.getMessage() + ")", e);
                    }
                    throw e;
                }
            })) {
                return;
            }
            phase = Phase.WAITING_FOR_KAFKA;
            try (KafkaProbe kafka = new KafkaProbe(config.relay().kafka().effectiveProducerProperties())) {
                if (!new StartupWait("kafka", closed::get).await(() -> kafka.probe(Duration.ofSeconds(5)))) {
                    return;
                }
            }
            synchronized (this) {
                if (closed.get()) {
                    return;
                }
                registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("outbox."))
                        .forEach(registry::remove);
                relay = Relay.builder().config(config.relay()).dataSource(dataSource).meterRegistry(registry).build();
                relay.start();
                phase = Phase.RUNNING;
            }
            LOG.atInfo().addKeyValue("strategy", config.relay().strategy())
                    .addKeyValue("admin_port", admin.port()).log("service running");
        } catch (FatalStartupException | dev.letterbox.relay.service.internal.DatabaseRefusedException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("error", config.scrub(String.valueOf(e.getMessage())))
                    .log("relay could not start");
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        phase = Phase.FAILED;
        failure.complete(e);
    }

    /** Stops the relay (finishing or abandoning the in-flight batch, releasing leases), the pool and the admin server. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Phase before = phase;
        phase = Phase.STOPPING;
        try {
            starter.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (relay != null) {
                relay.close();
            }
        }
        if (dataSource != null) {
            dataSource.close();
        }
        readiness.close();
        admin.close();
        logLevels.close();
        registry.close();
        phase = before == Phase.FAILED ? Phase.FAILED : Phase.STOPPED;
        // regression: "relay started" and "relay stopped" were each logged twice, by the relay and by
        // the service; the service's own events have their own names
        LOG.info("service stopped");
    }
}
