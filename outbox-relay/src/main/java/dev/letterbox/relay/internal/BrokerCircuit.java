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

    private static final Duration TRIAL_WAIT = Duration.ofMillis(100);

    private final CircuitBreaker<Object> breaker;
    private volatile boolean trialRunning;

    BrokerCircuit(CircuitBreakerConfig config, RelayMetrics metrics, String instanceId) {
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(config.failureThreshold())
                .withDelay(config.openDuration())
                .withSuccessThreshold(1)
                .onOpen(e -> {
                    metrics.circuitState(CircuitState.OPEN);
                    LOG.atWarn().addKeyValue("instance", instanceId).addKeyValue("open_ms", config.openDuration().toMillis())
                            .log("broker circuit opened");
                })
                .onHalfOpen(e -> metrics.circuitState(CircuitState.HALF_OPEN))
                .onClose(e -> {
                    metrics.circuitState(CircuitState.CLOSED);
                    LOG.atInfo().addKeyValue("instance", instanceId).log("broker circuit closed");
                })
                .build();
    }

    /**
     * How long to wait before a batch may be claimed and sent; zero when one may go now (without
     * taking a permit). While half open with the trial batch under way, the other pollers wait
     * too instead of claiming batches they may not send (regression: they claimed every 50 ms).
     */
    Duration waitTime() {
        if (breaker.isOpen()) {
            return breaker.getRemainingDelay();
        }
        return trialRunning ? TRIAL_WAIT : Duration.ZERO;
    }

    /** Takes a permit to send one batch; false while open (or while another trial runs half-open). */
    boolean tryAcquire() {
        if (!breaker.tryAcquirePermit()) {
            return false;
        }
        if (breaker.isHalfOpen()) {
            trialRunning = true;
        }
        return true;
    }

    /** Records a batch the broker acknowledged; call once per permit, whatever happens to the mark. */
    void success() {
        breaker.recordSuccess();
        trialRunning = false;
    }

    /** Records a batch with retriable send errors; call once per permit, whatever happens to the mark. */
    void failure() {
        breaker.recordFailure();
        trialRunning = false;
    }

    CircuitState state() {
        return switch (breaker.getState()) {
            case CLOSED -> CircuitState.CLOSED;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            case OPEN -> CircuitState.OPEN;
        };
    }
}
