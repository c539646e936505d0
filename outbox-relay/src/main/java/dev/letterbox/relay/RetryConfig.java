package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;
import static dev.letterbox.relay.ConfigRules.notAfter;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the relay backs off after failures (keys {@code relay.retry.*}): the pause after the n-th
 * consecutive failure is {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, spread by
 * ±{@code jitter}.
 *
 * <p>Retriable errors (broker down) are retried for as long as it takes and never park an event;
 * a permanent per-event error parks the event once it failed {@code maxAttempts} times.
 * Immutable and thread-safe.
 *
 * @param initialBackoff the first pause; 1ms..1m, default 100ms
 * @param maxBackoff     the longest pause; initialBackoff..10m, default 30s
 * @param multiplier     growth per failure; 1.0..10.0, default 2.0
 * @param jitter         random spread as a fraction of the pause; 0.0..1.0, default 0.2
 * @param maxAttempts    failed attempts of one event with a permanent error before it is parked;
 *                       1..100, default 3
 */
public record RetryConfig(Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
                          int maxAttempts) {

    public RetryConfig {
        between("relay.retry.initial-backoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
        between("relay.retry.max-backoff", maxBackoff, Duration.ofMillis(1), Duration.ofMinutes(10));
        notAfter("relay.retry.initial-backoff", initialBackoff, "relay.retry.max-backoff", maxBackoff);
        between("relay.retry.multiplier", multiplier, 1.0, 10.0);
        between("relay.retry.jitter", jitter, 0.0, 1.0);
        between("relay.retry.max-attempts", maxAttempts, 1, 100);
    }

    /**
     * The pause after the {@code failures}-th consecutive failure (1-based):
     * {@code min(maxBackoff, initialBackoff * multiplier^(failures-1))}, spread at random by
     * ±{@code jitter} of itself and never above {@code maxBackoff}. The one backoff of the relay and
     * its strategies.
     */
    public Duration backoff(int failures) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double spread = capped * jitter;
        double jittered = capped + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofNanos((long) Math.max(0, Math.min(jittered, maxBackoff.toNanos())));
    }

    /** The defaults: 100ms doubling to 30s, jitter 0.2, park after 3 permanent failures. */
    public static RetryConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().initialBackoff(initialBackoff).maxBackoff(maxBackoff).multiplier(multiplier)
                .jitter(jitter).maxAttempts(maxAttempts);
    }

    /** Builds a {@link RetryConfig}; not thread-safe. */
    public static final class Builder {
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.2;
        private int maxAttempts = 3;

        private Builder() {
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public RetryConfig build() {
            return new RetryConfig(initialBackoff, maxBackoff, multiplier, jitter, maxAttempts);
        }
    }
}
