package dev.letterbox.debezium;

import dev.letterbox.debezium.internal.CdcStrategy;
import dev.letterbox.relay.spi.RelayContext;
import dev.letterbox.relay.spi.RelayStrategy;
import dev.letterbox.relay.spi.RelayStrategyProvider;

/**
 * Creates the {@code cdc} relay strategy: Debezium Embedded on the outbox table (PostgreSQL
 * {@code pgoutput}, MariaDB binlog) or on PostgreSQL logical messages.
 *
 * <p>Registered in {@code META-INF/services}; the relay finds it by {@link #name()}. Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * Relay relay = Relay.builder()
 *         .config(RelayConfig.builder().strategy("cdc")
 *                 .strategyProperties(Map.of("letterbox.write-mode", "insert-and-delete")).build())
 *         .dataSource(dataSource).build();
 * }</pre>
 */
public final class CdcStrategyProvider implements RelayStrategyProvider {

    /** The strategy name, the value of {@code relay.strategy}. */
    public static final String NAME = "cdc";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public CdcStrategyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Validates the settings against the database and builds a strategy in state NEW.
     *
     * @throws CdcConfigException when a setting is invalid or does not fit the database (e.g.
     *                            {@code LOGICAL_MESSAGE} on MariaDB)
     */
    @Override
    public RelayStrategy create(RelayContext context) {
        CdcSettings settings = CdcSettings.from(context.properties());
        return CdcStrategy.create(context, settings);
    }
}
