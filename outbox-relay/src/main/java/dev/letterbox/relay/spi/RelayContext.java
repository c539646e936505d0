package dev.letterbox.relay.spi;

import dev.letterbox.relay.RelayConfig;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.RelayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the relay gives every strategy it creates: its identity, configuration, database, Kafka
 * publisher, metrics and leases.
 *
 * <p>Everything here belongs to the relay: a strategy uses it but never closes it. Implementations
 * are thread-safe.
 */
public interface RelayContext {

    /** This relay instance's id (relay.instance-id), the owner recorded in leases; never null. */
    String instanceId();

    /** The database holding the outbox; owned by the relay's caller, never closed by a strategy. */
    DataSource dataSource();

    /** The outbox table names (schema and prefix applied); never null. */
    OutboxTables tables();

    /** The relay's validated configuration; never null. */
    RelayConfig config();

    /** The one publisher every strategy hands records to, so the Kafka record contract is the same. */
    EventPublisher publisher();

    /** The relay's meters (names under {@code outbox.}, tags instance and strategy); strategies record into these. */
    RelayMetrics metrics();

    /** The registry the relay's meters live in, for strategy-specific meters (e.g. CDC slot lag). */
    MeterRegistry meterRegistry();

    /** The clock for logic that depends on JVM time; lease expiry is judged by the database instead. */
    Clock clock();

    /**
     * The strategy's pass-through properties with their prefix removed, e.g. {@code debezium.slot.name}
     * arrives as {@code slot.name}; never null.
     */
    Map<String, String> properties();

    /** Named single-active leases in the outbox lease table (e.g. {@code cdc}). */
    LeaseManager leases();
}
