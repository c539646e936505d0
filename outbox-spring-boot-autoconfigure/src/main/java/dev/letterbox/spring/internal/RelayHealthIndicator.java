package dev.letterbox.spring.internal;

import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayState;
import dev.letterbox.relay.service.RelayService;
import dev.letterbox.relay.service.ServiceConfig;
import dev.letterbox.relay.service.internal.Readiness;
import dev.letterbox.relay.service.internal.ReadinessEvaluator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The embedded relay's readiness as an Actuator health indicator ({@code letterbox}): UP when the
 * standalone service's {@code /health/ready} would say ready, with the same details and reasons
 * (the service's own {@link ReadinessEvaluator}, which checks every two seconds on a daemon thread
 * closed with the context). Thread-safe.
 */
public final class RelayHealthIndicator implements HealthIndicator, DisposableBean {

  private final ReadinessEvaluator evaluator;

  /** Evaluates the relay of {@code lifecycle} against the {@code readiness} thresholds. */
  public RelayHealthIndicator(RelayLifecycle lifecycle, ServiceConfig.Admin readiness) {
    this.evaluator = new ReadinessEvaluator(readiness, () -> phase(lifecycle.relay()), lifecycle::relay);
  }

  private static RelayService.Phase phase(Relay relay) {
    if (relay == null) {
      return RelayService.Phase.STOPPED;
    }
    RelayState state = relay.state();
    return switch (state) {
      case NEW -> RelayService.Phase.WAITING_FOR_DATABASE;
      case RUNNING -> RelayService.Phase.RUNNING;
      case STOPPING -> RelayService.Phase.STOPPING;
      case STOPPED -> RelayService.Phase.STOPPED;
    };
  }

  @Override
  public Health health() {
    Readiness readiness = evaluator.current();
    Health.Builder health = readiness.ready() ? Health.up() : Health.down();
    readiness.details().forEach((k, v) -> health.withDetail(k, v == null ? "unknown" : v));
    return health.build();
  }

  @Override
  public void destroy() {
    evaluator.close();
  }
}
