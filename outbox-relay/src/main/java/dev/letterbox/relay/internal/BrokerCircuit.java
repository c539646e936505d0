package dev.letterbox.relay.internal;

import dev.failsafe.CircuitBreaker;
import dev.letterbox.relay.CircuitBreakerConfig;
import dev.letterbox.relay.CircuitState;
import dev.letterbox.relay.RelayMetrics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker circuit breaker: opens after consecutive batches with retriable send errors, lets one
 * trial batch through after the open duration, closes on its success. State goes to metrics and
 * health. Thread-safe.
 */
final class BrokerCircuit {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCircuit.class);

    private final CircuitBreaker<Object> breaker;

    BrokerCircuit(CircuitBreakerConfig config, RelayMetrics metrics, String instanceId) {
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(config.failureThreshold())
                .withDelay(config.openDuration())
                .withSuccessThreshold(1)
                .onOpen(e -> {
                    metrics.circuitState(CircuitState.OPEN);
                    LOG.warn("broker circuit opened: instance={} openMs={}", instanceId, config.openDuration().toMillis());
                })
                .onHalfOpen(e -> metrics.circuitState(CircuitState.HALF_OPEN))
                .onClose(e -> {
                    metrics.circuitState(CircuitState.CLOSED);
                    LOG.info("broker circuit closed: instance={}", instanceId);
                })
                .build();
    }

    /** How long to wait before a batch may be sent; zero when one may go now (without taking a permit). */
    Duration waitTime() {
        return breaker.isOpen() ? breaker.getRemainingDelay() : Duration.ZERO;
    }

    /** Takes a permit to send one batch; false while open (or while another trial runs half-open). */
    boolean tryAcquire() {
        return breaker.tryAcquirePermit();
    }

    void success() {
        breaker.recordSuccess();
    }

    void failure() {
        breaker.recordFailure();
    }

    CircuitState state() {
        return switch (breaker.getState()) {
            case CLOSED -> CircuitState.CLOSED;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            case OPEN -> CircuitState.OPEN;
        };
    }
}
