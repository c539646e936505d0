package dev.letterbox.relay.logmode;

import java.time.Duration;

/**
 * How a {@link CommitHistoryChecker} run writes and reads: the writers' mix of transactions, the
 * slow BEFORE INSERT trigger, an optional long transaction, and the reader's polling and drain.
 *
 * <pre>{@code
 * CheckerConfig config = CheckerConfig.ofDefaults().toBuilder().duration(Duration.ofSeconds(60)).seed(7).build();
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 *
 * @param writers writer threads, each with its own connection
 * @param aggregates aggregates the writers choose from at random; each write locks its aggregate's row
 * @param duration how long the writers run
 * @param seed seed of the writers' random choices (the timing, and so the interleaving, still varies)
 * @param plainInsertPercent share of transactions that take no lock and only insert, as a plain-SQL writer: the
 *         INSERT is their first write, so the seq column's default is what gives them an xid. Each writer
 *         thread writes these for an aggregate of its own ({@code w0}, {@code w1}...), which keeps them in order
 * @param earlyXidPercent share of the other transactions that take their xid ({@code pg_current_xact_id()})
 *         before the lock
 * @param rollbackPercent share of transactions that roll back after inserting
 * @param holdPercent share of transactions held open between {@code holdMin} and {@code holdMax} before commit
 * @param holdMin shortest hold
 * @param holdMax longest hold
 * @param slowInsertPercent share of inserted rows whose BEFORE INSERT trigger sleeps (after seq was drawn)
 * @param slowInsertMax longest such sleep; each sleeps a uniform random time up to it
 * @param slowInsertWithoutXidMax longest sleep of the trigger on a row whose transaction has no xid yet (only
 *         a seq default that draws before the xid allows that; every such row sleeps, a uniform random time)
 * @param longTransaction a writing transaction on an unrelated table held open during the run, or null
 * @param pollInterval the reader's pause after a poll that returned nothing (as a relay's idle poll)
 * @param drainQuiet after the writers end, the run stops once nothing new was read for this long while
 *         no transaction in the cluster holds an xid (none can hold a horizon back)
 * @param drainMax after the writers end, the run stops after this long at the latest
 */
public record CheckerConfig(int writers, int aggregates, Duration duration, long seed, int plainInsertPercent,
        int earlyXidPercent, int rollbackPercent, int holdPercent, Duration holdMin, Duration holdMax,
        int slowInsertPercent, Duration slowInsertMax, Duration slowInsertWithoutXidMax,
        LongTransaction longTransaction, Duration pollInterval, Duration drainQuiet, Duration drainMax) {

    /** System property overriding the writers' duration in seconds, for longer runs than CI's. */
    public static final String SECONDS_PROPERTY = "letterbox.checker.seconds";
    /** System property overriding the seed. */
    public static final String SEED_PROPERTY = "letterbox.checker.seed";
    /** System property overriding {@link #holdPercent()}. */
    public static final String HOLD_PERCENT_PROPERTY = "letterbox.checker.hold-percent";
    /** System property overriding {@link #plainInsertPercent()}. */
    public static final String PLAIN_INSERT_PERCENT_PROPERTY = "letterbox.checker.plain-insert-percent";

    /**
     * A writing transaction that starts {@code after} the writers and stays open for {@code hold}.
     *
     * @param after delay from the writers' start
     * @param hold how long it stays open
     */
    public record LongTransaction(Duration after, Duration hold) {

        /** Checks that both durations are set and not negative. */
        public LongTransaction {
            requireNotNegative("longTransaction.after", after);
            requireNotNegative("longTransaction.hold", hold);
        }
    }

    /** Checks every value, naming the field and the allowed range. */
    public CheckerConfig {
        requireBetween("writers", writers, 1, 64);
        requireBetween("aggregates", aggregates, 1, 100_000);
        requireNotNegative("duration", duration);
        requireBetween("plainInsertPercent", plainInsertPercent, 0, 100);
        requireBetween("earlyXidPercent", earlyXidPercent, 0, 100);
        requireBetween("rollbackPercent", rollbackPercent, 0, 100);
        requireBetween("holdPercent", holdPercent, 0, 100);
        requireNotNegative("holdMin", holdMin);
        requireNotNegative("holdMax", holdMax);
        if (holdMax.compareTo(holdMin) < 0) {
            throw new IllegalArgumentException("holdMax must be at least holdMin (" + holdMin + "), was " + holdMax);
        }
        requireBetween("slowInsertPercent", slowInsertPercent, 0, 100);
        requireNotNegative("slowInsertMax", slowInsertMax);
        requireNotNegative("slowInsertWithoutXidMax", slowInsertWithoutXidMax);
        requireNotNegative("pollInterval", pollInterval);
        requireNotNegative("drainQuiet", drainQuiet);
        requireNotNegative("drainMax", drainMax);
    }

    /**
     * The CI workload: 8 writers on 50 aggregates for 10 s, 10 % plain inserts without a lock, 30 % of
     * the others taking their xid before the lock, 5 % rolling back, 1 % held open 200-800 ms; the
     * trigger slows half of the rows by 0-5 ms, and a row inserted before its transaction has an xid
     * by 0-50 ms; a 2 ms idle poll; a drain that ends after 1 s without
     * news (no xid held in the cluster), 60 s at most. The system properties above override the
     * duration, seed, hold and plain-insert shares.
     *
     * <p>Holds are 1 %, not 2 %: each hold keeps every horizon back for its whole length, and at 2 % one
     * was open nearly all the time here, which hid the pg_snapshot_xmax and seq-before-xid losses
     * (5-6 per 15 s run instead of 20-150).
     */
    public static CheckerConfig ofDefaults() {
        return new Builder().build();
    }

    /** Returns a builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link CheckerConfig}, from {@link #ofDefaults()}'s values. Not thread-safe. */
    public static final class Builder {
        private int writers = 8;
        private int aggregates = 50;
        private Duration duration = Duration.ofSeconds(Long.getLong(SECONDS_PROPERTY, 10));
        private long seed = Long.getLong(SEED_PROPERTY, 20_261_206L);
        private int plainInsertPercent = Integer.getInteger(PLAIN_INSERT_PERCENT_PROPERTY, 10);
        private int earlyXidPercent = 30;
        private int rollbackPercent = 5;
        private int holdPercent = Integer.getInteger(HOLD_PERCENT_PROPERTY, 1);
        private Duration holdMin = Duration.ofMillis(200);
        private Duration holdMax = Duration.ofMillis(800);
        private int slowInsertPercent = 50;
        private Duration slowInsertMax = Duration.ofMillis(5);
        private Duration slowInsertWithoutXidMax = Duration.ofMillis(50);
        private LongTransaction longTransaction;
        private Duration pollInterval = Duration.ofMillis(2);
        private Duration drainQuiet = Duration.ofSeconds(1);
        private Duration drainMax = Duration.ofSeconds(60);

        private Builder() {
        }

        private Builder(CheckerConfig c) {
            writers = c.writers;
            aggregates = c.aggregates;
            duration = c.duration;
            seed = c.seed;
            plainInsertPercent = c.plainInsertPercent;
            earlyXidPercent = c.earlyXidPercent;
            rollbackPercent = c.rollbackPercent;
            holdPercent = c.holdPercent;
            holdMin = c.holdMin;
            holdMax = c.holdMax;
            slowInsertPercent = c.slowInsertPercent;
            slowInsertMax = c.slowInsertMax;
            slowInsertWithoutXidMax = c.slowInsertWithoutXidMax;
            longTransaction = c.longTransaction;
            pollInterval = c.pollInterval;
            drainQuiet = c.drainQuiet;
            drainMax = c.drainMax;
        }

        /** Sets {@link CheckerConfig#duration()}. */
        public Builder duration(Duration value) {
            duration = value;
            return this;
        }

        /** Sets {@link CheckerConfig#seed()}. */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Sets {@link CheckerConfig#plainInsertPercent()}. */
        public Builder plainInsertPercent(int value) {
            plainInsertPercent = value;
            return this;
        }

        /** Sets {@link CheckerConfig#holdPercent()}. */
        public Builder holdPercent(int value) {
            holdPercent = value;
            return this;
        }

        /** Sets {@link CheckerConfig#longTransaction()}; null for none. */
        public Builder longTransaction(LongTransaction value) {
            longTransaction = value;
            return this;
        }

        /** Builds the configuration, checking every value. */
        public CheckerConfig build() {
            return new CheckerConfig(writers, aggregates, duration, seed, plainInsertPercent, earlyXidPercent,
                    rollbackPercent, holdPercent, holdMin, holdMax, slowInsertPercent, slowInsertMax,
                    slowInsertWithoutXidMax, longTransaction, pollInterval, drainQuiet, drainMax);
        }
    }

    private static void requireBetween(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requireNotNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be a duration of zero or more, was " + value);
        }
    }
}
