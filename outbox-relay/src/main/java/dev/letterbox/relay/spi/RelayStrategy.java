package dev.letterbox.relay.spi;

/**
 * Finds committed outbox events and hands them to the relay's {@link EventPublisher}, for as long
 * as it runs.
 *
 * <p>A strategy owns the threads and connections it opens: {@link #start()} starts them, and
 * {@link #close()} stops them, is idempotent and returns within a bounded time. Implementations
 * must be thread-safe.
 */
public interface RelayStrategy extends AutoCloseable {

    /** Starts the strategy's threads; returns at once. Throws {@link IllegalStateException} if called twice. */
    void start();

    /**
     * Asks the strategy to look for new events at once (see {@code Relay.wakeUp()}); must be cheap
     * and must not block. The default does nothing, for strategies that are pushed events anyway.
     */
    default void wakeUp() {
    }

    /** What this strategy reports to the readiness check; never null. */
    StrategyHealth health();

    /** Stops the strategy, releasing leases and finishing or abandoning the in-flight batch. Idempotent. */
    @Override
    void close();
}
