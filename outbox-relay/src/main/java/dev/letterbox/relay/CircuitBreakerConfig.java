package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;

import java.time.Duration;

/**
 * When the relay stops sending to a failing broker (keys {@code relay.circuit-breaker.*}): after
 * {@code failureThreshold} consecutive batches with retriable errors the breaker opens, no batch
 * is claimed for {@code openDuration}, then one trial batch runs (half-open) and closes it again
 * on success.
 *
 * <p>Immutable and thread-safe.
 *
 * @param failureThreshold consecutive failed batches that open the breaker; 1..1000, default 5
 * @param openDuration     how long it stays open before a trial; 100ms..10m, default 10s
 */
public record CircuitBreakerConfig(int failureThreshold, Duration openDuration) {

    public CircuitBreakerConfig {
        between("relay.circuit-breaker.failure-threshold", failureThreshold, 1, 1000);
        between("relay.circuit-breaker.open-duration", openDuration, Duration.ofMillis(100), Duration.ofMinutes(10));
    }

    /** The defaults: open after 5 failed batches, for 10s. */
    public static CircuitBreakerConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CircuitBreakerConfig}; not thread-safe. */
    public static final class Builder {
        private int failureThreshold = 5;
        private Duration openDuration = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder openDuration(Duration openDuration) {
            this.openDuration = openDuration;
            return this;
        }

        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(failureThreshold, openDuration);
        }
    }
}
