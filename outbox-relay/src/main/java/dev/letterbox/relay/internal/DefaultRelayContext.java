package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.LeaseManager;
import dev.letterbox.relay.spi.RelayContext;
import dev.letterbox.outbox.OutboxTables;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/** The {@link RelayContext} a {@link DefaultRelay} hands its strategy; immutable and thread-safe. */
record DefaultRelayContext(RelayConfig config, DataSource dataSource, EventPublisher publisher, RelayMetrics metrics,
                           MeterRegistry meterRegistry, Clock clock, LeaseManager leases) implements RelayContext {

    @Override
    public String instanceId() {
        return config.instanceId();
    }

    @Override
    public OutboxTables tables() {
        return config.tables();
    }

    @Override
    public Map<String, String> properties() {
        return config.strategyProperties();
    }
}
