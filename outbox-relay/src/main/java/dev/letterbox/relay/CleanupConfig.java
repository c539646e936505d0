package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;

import java.time.Duration;

/**
 * How published rows are deleted (keys {@code cleanup.*}); one instance at a time runs it, under
 * the lease {@code cleanup}. The same batch size, pause and interval apply to the inbox purge.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled   whether this instance takes part in cleanup; default true
 * @param retention published rows older than this are deleted; 1s..3650d, default 7d
 * @param batchSize rows deleted per statement; 1..100000, default 1000
 * @param pause     pause between two delete statements; 0..1m, default 50ms
 * @param interval  time between two cleanup runs; 1s..1d, default 5m
 */
public record CleanupConfig(boolean enabled, Duration retention, int batchSize, Duration pause, Duration interval) {

    public CleanupConfig {
        between("cleanup.retention", retention, Duration.ofSeconds(1), Duration.ofDays(3650));
        between("cleanup.batch-size", batchSize, 1, 100_000);
        between("cleanup.pause", pause, Duration.ZERO, Duration.ofMinutes(1));
        between("cleanup.interval", interval, Duration.ofSeconds(1), Duration.ofDays(1));
    }

    /** The defaults: enabled, 7 days, 1000 rows per statement, 50ms pause, every 5 minutes. */
    public static CleanupConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CleanupConfig}; not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration retention = Duration.ofDays(7);
        private int batchSize = 1000;
        private Duration pause = Duration.ofMillis(50);
        private Duration interval = Duration.ofMinutes(5);

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder pause(Duration pause) {
            this.pause = pause;
            return this;
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        public CleanupConfig build() {
            return new CleanupConfig(enabled, retention, batchSize, pause, interval);
        }
    }
}
