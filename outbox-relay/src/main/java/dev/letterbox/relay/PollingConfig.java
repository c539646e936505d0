package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;
import static dev.letterbox.relay.ConfigRules.notAfter;

import java.time.Duration;

/**
 * How the polling strategy claims batches and shares shards (keys {@code relay.polling.*}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param batchSize      rows claimed per statement, 1..10000; default 500
 * @param leaseTtl       how long a shard lease lasts without renewal (renewed every ttl/3); a dead
 *                       instance's shards are taken over after this; 1s..5m, default 10s
 * @param idleBackoffMin the first pause after an empty claim; doubles while claims stay empty;
 *                       0..10s, default 1ms
 * @param idleBackoffMax the longest pause between claims when idle; idleBackoffMin..60s, default 100ms (chosen by measurement, docs/benchmarks.md)
 * @param listenNotify   PostgreSQL only: also wake up on {@code NOTIFY <prefix>event} (the writers send
 *                       it: the outbox's {@code notifyRelay} option, a statement trigger or the
 *                       application's transaction; the relay only listens, on one connection of its
 *                       pool held for its lifetime); in log mode an idle relay then relies on it and
 *                       reads about once a second; default false
 * @param workers        poller threads per instance, each claiming from its own slice of the owned
 *                       shards (an aggregate always lands on the same thread); 1..16, default 2
 * @param mode           how published events are recorded: {@code log} (PostgreSQL only: a position per
 *                       shard, rows are never updated), {@code mark} (each row is updated to PUBLISHED) or
 *                       {@code auto} (log on PostgreSQL, mark elsewhere; on PostgreSQL mark too while other
 *                       live instances run the table in mark mode, so that a rolling upgrade keeps
 *                       publishing); default auto
 * @param positionFlushInterval log mode: how often the positions reached are stored at most while
 *                       batches are small (after a full batch they are stored at once); a crash sends the
 *                       events published since the last store again; 0..10s, default 200ms
 * @param horizonWait    log mode: how long a transaction may run before the relay publishes past it
 *                       (rows it may still commit are read when it ends); 10ms..1h, default 500ms
 * @param readInterval   the shortest time between the starts of two claims of a poller once it has
 *                       caught up (its last batch was not full): at a steady rate, events that commit
 *                       meanwhile go out together in one claim instead of one claim each; a backlog is
 *                       read back to back whatever it is; 0..1s, default 0 (claim again at once)
 * @param balance        how the live instances share the 64 shards: {@code spread} (each holds an equal
 *                       share: a backlog drains on every instance) or {@code packed} (one instance holds
 *                       them all and the others stand by: at steady rates the fleet reads as often as one
 *                       instance; a standby takes the shards over within {@code lease-ttl} when the active
 *                       instance dies, at its next lease cycle when it stops); default spread
 */
public record PollingConfig(int batchSize, Duration leaseTtl, Duration idleBackoffMin, Duration idleBackoffMax,
                            boolean listenNotify, int workers, String mode, Duration positionFlushInterval,
                            Duration horizonWait, Duration readInterval, String balance) {

    /** The values of {@code relay.polling.mode}. */
    public static final java.util.List<String> MODES = java.util.List.of("auto", "log", "mark");
    /** The values of {@code relay.polling.balance}. */
    public static final java.util.List<String> BALANCES = java.util.List.of("spread", "packed");

    public PollingConfig {
        between("relay.polling.batch-size", batchSize, 1, 10_000);
        between("relay.polling.lease-ttl", leaseTtl, Duration.ofSeconds(1), Duration.ofMinutes(5));
        between("relay.polling.idle-backoff-min", idleBackoffMin, Duration.ZERO, Duration.ofSeconds(10));
        between("relay.polling.idle-backoff-max", idleBackoffMax, Duration.ZERO, Duration.ofSeconds(60));
        notAfter("relay.polling.idle-backoff-min", idleBackoffMin, "relay.polling.idle-backoff-max", idleBackoffMax);
        between("relay.polling.workers", workers, 1, 16);
        if (mode == null || !MODES.contains(mode)) {
            throw new IllegalArgumentException("relay.polling.mode must be one of " + MODES + ", was " + mode);
        }
        between("relay.polling.position-flush-interval", positionFlushInterval, Duration.ZERO, Duration.ofSeconds(10));
        between("relay.polling.horizon-wait", horizonWait, Duration.ofMillis(10), Duration.ofHours(1));
        between("relay.polling.read-interval", readInterval, Duration.ZERO, Duration.ofSeconds(1));
        if (balance == null || !BALANCES.contains(balance)) {
            throw new IllegalArgumentException("relay.polling.balance must be one of " + BALANCES + ", was " + balance);
        }
    }

    /** Whether one instance holds every shard while the others stand by ({@code balance: packed}). */
    public boolean packed() {
        return "packed".equals(balance);
    }

    /**
     * The defaults: batch 500, lease TTL 10s, idle backoff 1ms..100ms, no LISTEN/NOTIFY, 2 workers,
     * mode auto, positions stored every 200ms, horizon wait 500ms, read interval 0, balance spread.
     */
    public static PollingConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().batchSize(batchSize).leaseTtl(leaseTtl).idleBackoffMin(idleBackoffMin)
                .idleBackoffMax(idleBackoffMax).listenNotify(listenNotify).workers(workers).mode(mode)
                .positionFlushInterval(positionFlushInterval).horizonWait(horizonWait).readInterval(readInterval)
                .balance(balance);
    }

    /** Builds a {@link PollingConfig}; not thread-safe. */
    public static final class Builder {
        private int batchSize = 500;
        private Duration leaseTtl = Duration.ofSeconds(10);
        private Duration idleBackoffMin = Duration.ofMillis(1);
        private Duration idleBackoffMax = Duration.ofMillis(100);
        private boolean listenNotify;
        private int workers = 2;
        private String mode = "auto";
        private Duration positionFlushInterval = Duration.ofMillis(200);
        private Duration horizonWait = Duration.ofMillis(500);
        private Duration readInterval = Duration.ZERO;
        private String balance = "spread";

        private Builder() {
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        public Builder idleBackoffMin(Duration idleBackoffMin) {
            this.idleBackoffMin = idleBackoffMin;
            return this;
        }

        public Builder idleBackoffMax(Duration idleBackoffMax) {
            this.idleBackoffMax = idleBackoffMax;
            return this;
        }

        public Builder listenNotify(boolean listenNotify) {
            this.listenNotify = listenNotify;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** {@code auto}, {@code log} or {@code mark}. */
        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        public Builder positionFlushInterval(Duration positionFlushInterval) {
            this.positionFlushInterval = positionFlushInterval;
            return this;
        }

        public Builder horizonWait(Duration horizonWait) {
            this.horizonWait = horizonWait;
            return this;
        }

        public Builder readInterval(Duration readInterval) {
            this.readInterval = readInterval;
            return this;
        }

        /** {@code spread} or {@code packed}. */
        public Builder balance(String balance) {
            this.balance = balance;
            return this;
        }

        public PollingConfig build() {
            return new PollingConfig(batchSize, leaseTtl, idleBackoffMin, idleBackoffMax, listenNotify, workers, mode,
                    positionFlushInterval, horizonWait, readInterval, balance);
        }
    }
}
