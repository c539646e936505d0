package dev.letterbox.relay.internal;

import java.util.List;

/**
 * Points in the polling cycle where tests can pause an instance, to play a GC pause or a frozen
 * process (a seam, not a flag: production passes {@link #NONE}). Implementations must be thread-safe.
 */
public interface PollingHooks {

    /** Does nothing at every point. */
    PollingHooks NONE = new PollingHooks() {
    };

    /** Called on a poller thread after Kafka acknowledged a batch and before it is marked. */
    default void beforeMark(List<ClaimedRow> batch) {
    }

    /** Called on a poller thread after the mark statement, with the number of rows it updated. */
    default void afterMark(int batchSize, int marked) {
    }

    /** Called on the lease thread before each renewal and rebalancing cycle. */
    default void beforeLeaseCycle() {
    }
}
