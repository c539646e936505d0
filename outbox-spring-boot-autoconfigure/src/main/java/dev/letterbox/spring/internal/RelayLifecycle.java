package dev.letterbox.spring.internal;

import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the embedded {@link Relay} with the application context: a new relay starts when the
 * context has been refreshed (every singleton, the {@code DataSource} and the outbox schema
 * included, is ready) and is closed, releasing its leases, when the context stops, before the
 * {@code DataSource} is closed. Thread-safe.
 *
 * <p>A closed relay cannot start again, so each {@link #start()} builds a new one.
 */
public final class RelayLifecycle implements SmartLifecycle {

  /**
   * The phase: after the web server starts (Spring Boot's {@code DEFAULT_PHASE - 2048}) and before
   * it stops; every lifecycle stops before the context destroys its beans, the DataSource among them.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Logger LOG = LoggerFactory.getLogger(RelayLifecycle.class);

  private final RelayConfig config;
  private final DataSource dataSource;
  private final MeterRegistry registry;
  private volatile Relay relay;

  /**
   * Creates the life cycle; nothing starts yet.
   *
   * @param registry where the relay's {@code outbox.*} meters go, or null for a private registry
   */
  public RelayLifecycle(RelayConfig config, DataSource dataSource, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.registry = registry;
  }

  @Override
  public synchronized void start() {
    if (relay != null) {
      return;
    }
    Relay.Builder builder = Relay.builder().config(config).dataSource(dataSource);
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    Relay created = builder.build();
    created.start();
    relay = created;
  }

  @Override
  public synchronized void stop() {
    Relay running = relay;
    if (running == null) {
      return;
    }
    try {
      running.close();
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("instance", config.instanceId()).addKeyValue("error", e.toString())
          .log("closing the embedded relay failed");
    }
    relay = null;
  }

  @Override
  public boolean isRunning() {
    return relay != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Asks the running relay to claim at once; does nothing when it is not running. Cheap, never blocks. */
  public void wakeUp() {
    Relay running = relay;
    if (running != null) {
      running.wakeUp();
    }
  }

  /** The running relay, or null. */
  public Relay relay() {
    return relay;
  }

  /** The relay's configuration. */
  public RelayConfig config() {
    return config;
  }
}
