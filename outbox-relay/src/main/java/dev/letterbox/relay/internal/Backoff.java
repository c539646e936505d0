package dev.letterbox.relay.internal;

import dev.letterbox.relay.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter from a {@link RetryConfig}; stateless and thread-safe. */
final class Backoff {

    private final RetryConfig config;

    Backoff(RetryConfig config) {
        this.config = config;
    }

    /** The pause after the {@code failures}-th consecutive failure (1-based). */
    Duration delay(int failures) {
        double base = config.initialBackoff().toNanos() * Math.pow(config.multiplier(), Math.max(0, failures - 1));
        double capped = Math.min(base, config.maxBackoff().toNanos());
        double spread = capped * config.jitter();
        double jittered = capped + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofNanos((long) Math.max(0, Math.min(jittered, config.maxBackoff().toNanos())));
    }
}
