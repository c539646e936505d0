package dev.letterbox.relay.logmode;

import java.time.Duration;

/**
 * How a {@link CommitHistoryChecker} run writes and reads: the writers' mix of transactions, the
 * slow BEFORE INSERT trigger, an optional long transaction, and the reader's polling and drain.
 *
 * <pre>{@code
 * CheckerConfig config = CheckerConfig.ofDefaults().withDuration(Duration.ofSeconds(60)).withSeed(7);
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 *
 * @param writers writer threads, each with its own connection
 * @param aggregates aggregates the writers choose from at random; each write locks its aggregate's row
 * @param duration how long the writers run
 * @param seed seed of the writers' random choices (the timing, and so the interleaving, still varies)
 * @param earlyXidPercent share of transactions that take their xid ({@code pg_current_xact_id()}) before the lock
 * @param rollbackPercent share of transactions that roll back after inserting
 * @param holdPercent share of transactions held open between {@code holdMin} and {@code holdMax} before commit
 * @param holdMin shortest hold
 * @param holdMax longest hold
 * @param slowInsertPercent share of inserted rows whose BEFORE INSERT trigger sleeps (after seq was drawn)
 * @param slowInsertMax longest such sleep; each sleeps a uniform random time up to it
 * @param longTransaction a writing transaction on an unrelated table held open during the run, or null
 * @param pollInterval the reader's pause after a poll that returned nothing (as a relay's idle poll)
 * @param drainQuiet after the writers end, the run stops once nothing new was read for this long while
 *         no transaction in the cluster holds an xid (none can hold a horizon back)
 * @param drainMax after the writers end, the run stops after this long at the latest
 */
public record CheckerConfig(int writers, int aggregates, Duration duration, long seed, int earlyXidPercent,
        int rollbackPercent, int holdPercent, Duration holdMin, Duration holdMax, int slowInsertPercent,
        Duration slowInsertMax, LongTransaction longTransaction, Duration pollInterval, Duration drainQuiet,
        Duration drainMax) {

    /** System property overriding the writers' duration in seconds, for longer runs than CI's. */
    public static final String SECONDS_PROPERTY = "letterbox.checker.seconds";
    /** System property overriding the seed. */
    public static final String SEED_PROPERTY = "letterbox.checker.seed";

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
        requireNotNegative("pollInterval", pollInterval);
        requireNotNegative("drainQuiet", drainQuiet);
        requireNotNegative("drainMax", drainMax);
    }

    /**
     * The CI workload: 8 writers on 50 aggregates for 15 s (or {@value #SECONDS_PROPERTY} seconds),
     * 30 % taking their xid before the lock, 5 % rolling back, 2 % held open 200-800 ms, half of
     * the rows slowed by 0-5 ms in the trigger; a 2 ms idle poll; a drain of at most 60 s.
     */
    public static CheckerConfig ofDefaults() {
        return new CheckerConfig(8, 50, Duration.ofSeconds(Long.getLong(SECONDS_PROPERTY, 15)),
                Long.getLong(SEED_PROPERTY, 20_261_206L), 30, 5, 2, Duration.ofMillis(200), Duration.ofMillis(800),
                50, Duration.ofMillis(5), null, Duration.ofMillis(2), Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    /** Returns this configuration with the writers running for {@code value}. */
    public CheckerConfig withDuration(Duration value) {
        return new CheckerConfig(writers, aggregates, value, seed, earlyXidPercent, rollbackPercent, holdPercent,
                holdMin, holdMax, slowInsertPercent, slowInsertMax, longTransaction, pollInterval, drainQuiet,
                drainMax);
    }

    /** Returns this configuration with {@code value} as the seed. */
    public CheckerConfig withSeed(long value) {
        return new CheckerConfig(writers, aggregates, duration, value, earlyXidPercent, rollbackPercent, holdPercent,
                holdMin, holdMax, slowInsertPercent, slowInsertMax, longTransaction, pollInterval, drainQuiet,
                drainMax);
    }

    /** Returns this configuration with {@code value} held open during the run (null for none). */
    public CheckerConfig withLongTransaction(LongTransaction value) {
        return new CheckerConfig(writers, aggregates, duration, seed, earlyXidPercent, rollbackPercent, holdPercent,
                holdMin, holdMax, slowInsertPercent, slowInsertMax, value, pollInterval, drainQuiet, drainMax);
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
