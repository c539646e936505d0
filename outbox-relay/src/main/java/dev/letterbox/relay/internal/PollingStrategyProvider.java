package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.RelayContext;
import dev.letterbox.relay.spi.RelayStrategy;
import dev.letterbox.relay.spi.RelayStrategyProvider;

/**
 * Provides the {@code polling} strategy (registered in {@code META-INF/services}). Stateless and
 * thread-safe.
 */
public final class PollingStrategyProvider implements RelayStrategyProvider {

    private final PollingHooks hooks;

    /** The provider {@link java.util.ServiceLoader} creates. */
    public PollingStrategyProvider() {
        this(PollingHooks.NONE);
    }

    /** A provider whose strategies call the given hooks (tests pause instances through them). */
    public PollingStrategyProvider(PollingHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public String name() {
        return "polling";
    }

    @Override
    public RelayStrategy create(RelayContext context) {
        return new PollingStrategy(context, hooks);
    }
}
