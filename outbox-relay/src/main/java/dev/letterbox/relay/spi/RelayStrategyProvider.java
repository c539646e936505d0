package dev.letterbox.relay.spi;

/**
 * Creates a {@link RelayStrategy} by name; implementations are registered in
 * {@code META-INF/services/dev.letterbox.relay.spi.RelayStrategyProvider}.
 *
 * <p>Implementations must be thread-safe and stateless: {@link #create} may be called more than once.
 */
public interface RelayStrategyProvider {

    /** The value of {@code relay.strategy} that selects this provider, e.g. {@code polling} or {@code cdc}. */
    String name();

    /**
     * Builds a strategy that is not started yet.
     *
     * @param context what the relay gives every strategy; never null
     * @return a new strategy in state NEW
     */
    RelayStrategy create(RelayContext context);
}
