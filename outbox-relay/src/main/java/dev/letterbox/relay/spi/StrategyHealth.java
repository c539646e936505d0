package dev.letterbox.relay.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A strategy's view of its own health, shown by the readiness check.
 *
 * @param ready   true when the strategy can read events and publish them
 * @param details named facts for operators (e.g. {@code ownedShards}, {@code lastError}); never null
 */
public record StrategyHealth(boolean ready, Map<String, Object> details) {

    public StrategyHealth {
        details = Map.copyOf(Objects.requireNonNull(details, "details"));
    }

    public static StrategyHealth ready(Map<String, Object> details) {
        return new StrategyHealth(true, details);
    }

    public static StrategyHealth notReady(Map<String, Object> details) {
        return new StrategyHealth(false, details);
    }
}
