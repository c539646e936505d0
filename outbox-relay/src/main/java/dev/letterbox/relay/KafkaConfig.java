package dev.letterbox.relay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the relay's producer connects (keys {@code kafka.bootstrap-servers},
 * {@code kafka.producer.*}); producer properties are passed to kafka-clients verbatim and win over
 * the relay's defaults.
 *
 * <p>Immutable and thread-safe.
 *
 * @param bootstrapServers the brokers, e.g. {@code kafka:9092}; may be null only when a producer is
 *                         injected into {@link Relay.Builder#producer}
 * @param producer         producer properties; never null
 */
public record KafkaConfig(String bootstrapServers, Map<String, String> producer) {

    /**
     * The relay's producer defaults: {@code acks=all}, {@code enable.idempotence=true} (keeps order per
     * partition with up to 5 requests in flight), {@code linger.ms=5}, {@code batch.size=65536},
     * {@code compression.type=lz4}, {@code delivery.timeout.ms=30000}, {@code request.timeout.ms=10000},
     * {@code max.block.ms=10000}.
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
            "acks", "all",
            "enable.idempotence", "true",
            "max.in.flight.requests.per.connection", "5",
            "linger.ms", "5",
            "batch.size", "65536",
            "compression.type", "lz4",
            "delivery.timeout.ms", "30000",
            "request.timeout.ms", "10000",
            "max.block.ms", "10000");

    public KafkaConfig {
        if (bootstrapServers != null && bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers must not be blank (e.g. kafka:9092), was ''");
        }
        producer = Map.copyOf(Objects.requireNonNull(producer, "kafka.producer"));
        if ("false".equalsIgnoreCase(producer.get("enable.idempotence"))) {
            throw new IllegalArgumentException("kafka.producer.enable.idempotence must be true: without it a retried send can"
                    + " reorder events of one aggregate, was false");
        }
    }

    /** No brokers yet and no producer overrides. */
    public static KafkaConfig ofDefaults() {
        return new KafkaConfig(null, Map.of());
    }

    /** The given brokers, no producer overrides. */
    public static KafkaConfig of(String bootstrapServers) {
        return new KafkaConfig(bootstrapServers, Map.of());
    }

    /** The properties the relay's producer is created with: defaults, then overrides, then the brokers. */
    public Map<String, Object> effectiveProducerProperties() {
        Map<String, Object> props = new LinkedHashMap<>(PRODUCER_DEFAULTS);
        props.putAll(producer);
        if (bootstrapServers != null) {
            props.put("bootstrap.servers", bootstrapServers);
        }
        return props;
    }
}
