package dev.letterbox.relay.service.internal;

import dev.letterbox.relay.CircuitState;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayHealth;
import dev.letterbox.relay.service.RelayService;
import dev.letterbox.relay.service.ServiceConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decides readiness from the service's phase and the relay's health: ready when the relay runs,
 * the database and Kafka answer, the circuit breaker is not open (unless allowed) and the oldest
 * unpublished event is younger than {@code admin.readiness.max-oldest-unpublished-age}.
 *
 * <p>The relay's health check talks to the database and Kafka, so it runs every two seconds on its
 * own daemon thread ({@code outbox-relay-health}) and probes read the last result. Thread-safe.
 */
public final class ReadinessEvaluator implements AutoCloseable {

    private static final long REFRESH_MS = 2000;

    private final ServiceConfig.Admin settings;
    private final Supplier<RelayService.Phase> phase;
    private final Supplier<Relay> relay;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay-health");
        t.setDaemon(true);
        return t;
    });
    private volatile RelayHealth last;

    /** Evaluates readiness for {@code settings}, reading the phase and the relay (null until started). */
    public ReadinessEvaluator(ServiceConfig.Admin settings, Supplier<RelayService.Phase> phase, Supplier<Relay> relay) {
        this.settings = settings;
        this.phase = phase;
        this.relay = relay;
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        Relay r = relay.get();
        if (r != null) {
            try {
                last = r.health();
            } catch (RuntimeException e) {
                last = null;
            }
        }
    }

    /** The readiness now, from the last health check. */
    public Readiness current() {
        Map<String, Object> details = new LinkedHashMap<>();
        RelayService.Phase p = phase.get();
        details.put("phase", p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        RelayHealth h = last;
        if (p != RelayService.Phase.RUNNING || h == null) {
            details.put("reason", p == RelayService.Phase.RUNNING ? "first health check pending" : "relay not running");
            return new Readiness(false, details);
        }
        double age = h.oldestUnpublishedAgeSeconds();
        Duration max = settings.maxOldestUnpublishedAge();
        boolean ageOk = max.isZero() || (!Double.isNaN(age) && age <= max.toMillis() / 1000.0);
        boolean circuitOk = !settings.requireClosedCircuit() || h.circuitState() != CircuitState.OPEN;
        details.put("relayState", h.state().name());
        details.put("database", h.databaseReachable() ? "UP" : "DOWN");
        details.put("kafka", h.kafkaReachable() ? "UP" : "DOWN");
        details.put("circuit", h.circuitState().name());
        details.put("oldestUnpublishedAgeSeconds", Double.isNaN(age) ? null : age);
        details.put("maxOldestUnpublishedAgeSeconds", max.toMillis() / 1000.0);
        details.put("strategy", h.strategy().details());
        boolean ready = h.state() == dev.letterbox.relay.RelayState.RUNNING && h.databaseReachable()
                && h.kafkaReachable() && circuitOk && ageOk && h.strategy().ready();
        return new Readiness(ready, details);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
