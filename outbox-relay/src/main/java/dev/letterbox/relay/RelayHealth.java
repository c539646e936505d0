package dev.letterbox.relay;

import dev.letterbox.relay.spi.StrategyHealth;
import java.util.Objects;

/**
 * A snapshot of a relay's health for readiness checks and the {@code status} command.
 *
 * <p>Immutable and thread-safe.
 *
 * @param state                       the relay's life-cycle state
 * @param databaseReachable           true when a connection answered a trivial query just now
 * @param kafkaReachable              true when the brokers answered just now (or, for an injected
 *                                    producer, when the circuit is not open)
 * @param circuitState                the broker circuit breaker's state
 * @param oldestUnpublishedAgeSeconds age of the oldest PENDING event in seconds; 0 when there is none;
 *                                    {@code NaN} when the database could not be read
 * @param strategy                    what the strategy reports
 */
public record RelayHealth(RelayState state, boolean databaseReachable, boolean kafkaReachable,
                          CircuitState circuitState, double oldestUnpublishedAgeSeconds, StrategyHealth strategy) {

    public RelayHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(circuitState, "circuitState");
        Objects.requireNonNull(strategy, "strategy");
    }

    /** True when the relay runs and can read the outbox and publish: what a readiness probe asks. */
    public boolean ready() {
        return state == RelayState.RUNNING && databaseReachable && kafkaReachable
                && circuitState != CircuitState.OPEN && strategy.ready();
    }
}
