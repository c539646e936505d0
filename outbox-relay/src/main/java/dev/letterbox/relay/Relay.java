package dev.letterbox.relay;

import dev.letterbox.relay.internal.DefaultRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;

/**
 * Publishes committed outbox events to Kafka: a strategy ({@code polling} or {@code cdc}, found
 * through {@link java.util.ServiceLoader}) plus a Kafka publisher, leases, cleanup and metrics.
 *
 * <p>Life cycle {@code NEW → RUNNING → STOPPING → STOPPED}: {@link #start()} starts its threads;
 * {@link #close()} stops them, releases its leases, is idempotent and returns within about the lease
 * TTL plus the producer's close timeout. The relay closes only what it created: an injected
 * {@link DataSource}, {@link MeterRegistry} or {@link Producer} stays open. Thread-safe.
 *
 * <pre>{@code
 * try (Relay relay = Relay.builder()
 *         .config(RelayConfig.builder().bootstrapServers("kafka:9092").build())
 *         .dataSource(dataSource)
 *         .meterRegistry(registry)
 *         .build()) {
 *     relay.start();
 *     ...
 * }
 * }</pre>
 */
public interface Relay extends AutoCloseable {

    /**
     * The MDC key that holds the relay's instance id ({@code relay.instance-id}) in every log event
     * of the relay's own threads, and of the calling thread during {@link #start()} and {@link #close()}.
     */
    String MDC_INSTANCE = "letterbox.instance";

    /** A builder for a relay. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the strategy, cleanup and metrics threads and returns at once; the relay keeps trying
     * when the database or Kafka cannot be reached yet.
     *
     * @throws IllegalStateException when the relay is not NEW
     */
    void start();

    /**
     * Asks the pollers that are pausing between polls to claim at once, e.g. right after a
     * transaction that appended events commits; a poller busy with a claim is left alone. Cheap (it
     * signals waiting threads, nothing more), never blocks, and does nothing unless the relay is
     * RUNNING; thread-safe.
     */
    void wakeUp();

    /** The current life-cycle state. */
    RelayState state();

    /** Checks the database and Kafka now (each bounded to a few seconds) and reports the relay's health. */
    RelayHealth health();

    /** The configuration this relay runs with. */
    RelayConfig config();

    /** The relay's meters. */
    RelayMetrics metrics();

    /** Stops the relay: finishes or abandons the in-flight batch, releases leases, closes its own producer. Idempotent. */
    @Override
    void close();

    /**
     * The names of the strategies on the class path (found through {@link java.util.ServiceLoader}),
     * e.g. {@code [polling]}, or {@code [cdc, polling]} with the outbox-debezium module.
     */
    static java.util.SortedSet<String> strategies() {
        return DefaultRelay.strategies();
    }

    /** Builds a {@link Relay}; not thread-safe. */
    final class Builder {
        private RelayConfig config;
        private DataSource dataSource;
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private Producer<byte[], byte[]> producer;

        private Builder() {
        }

        /** The configuration; required. */
        public Builder config(RelayConfig config) {
            this.config = config;
            return this;
        }

        /** The outbox database; required; not closed by the relay. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** Where the relay's meters are registered; default a private {@link SimpleMeterRegistry}; not closed by the relay. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** The clock for JVM-side timing (commit-to-ack); default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * A producer to use instead of creating one from {@link RelayConfig#kafka()}; it must be
         * idempotent with {@code acks=all} and byte-array serializers. Optional; not closed by the relay.
         */
        public Builder producer(Producer<byte[], byte[]> producer) {
            this.producer = producer;
            return this;
        }

        /**
         * Builds a relay in state NEW.
         *
         * @throws IllegalArgumentException when something required is missing or no strategy has the configured name
         */
        public Relay build() {
            if (config == null) {
                throw new IllegalArgumentException("Relay.builder().config(...) is required: pass a RelayConfig");
            }
            if (dataSource == null) {
                throw new IllegalArgumentException("Relay.builder().dataSource(...) is required: pass the outbox database");
            }
            if (producer == null && config.kafka().bootstrapServers() == null) {
                throw new IllegalArgumentException("kafka.bootstrap-servers is required (e.g. kafka:9092) unless a producer"
                        + " is injected with Relay.builder().producer(...)");
            }
            return new DefaultRelay(config, dataSource,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry,
                    Objects.requireNonNull(clock, "clock"), producer);
        }
    }
}
