package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;
import static dev.letterbox.relay.ConfigRules.notBlank;
import static dev.letterbox.relay.ConfigRules.required;

import dev.letterbox.outbox.OutboxTables;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Everything a {@link Relay} is configured with; built with {@link #builder()} or {@link #ofDefaults()}
 * and validated on construction (messages name the key, the rule and the value).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RelayConfig config = RelayConfig.builder()
 *         .instanceId("relay-1")
 *         .kafka(KafkaConfig.of("kafka:9092"))
 *         .polling(PollingConfig.builder().batchSize(1000).build())
 *         .build();
 * }</pre>
 *
 * @param instanceId         this instance's id, recorded as lease owner (relay.instance-id); at most
 *                           200 characters; default {@code <host>-<pid>-<random>}
 * @param strategy           the {@link dev.letterbox.relay.spi.RelayStrategyProvider#name() strategy}
 *                           (relay.strategy): {@code polling} (default) or {@code cdc}
 * @param topicTemplate      the topic of a row without override (relay.topic-template); {@code ${aggregatetype}}
 *                           and {@code ${type}} are replaced; default {@code outbox.event.${aggregatetype}}
 * @param tables             the outbox table names (database.schema, database.table-prefix); default {@code outbox_*}
 * @param polling            polling strategy settings (relay.polling.*)
 * @param retry              backoff and parking (relay.retry.*)
 * @param circuitBreaker     broker circuit breaker (relay.circuit-breaker.*)
 * @param parkedPolicy       later events of a parked event's aggregate (relay.parked-policy); default HOLD_AGGREGATE
 * @param deadLetterTopic    where parked events are copied (relay.dead-letter-topic); null (default) for none
 * @param cleanup            deletion of published rows (cleanup.*)
 * @param inboxPurge         purge of the inbox table (cleanup.inbox.*)
 * @param kafka              brokers and producer properties (kafka.*)
 * @param metricsInterval    how often backlog and oldest-age gauges are read from the database
 *                           (relay.metrics-interval); 100ms..10m, default 5s
 * @param strategyProperties pass-through properties for the strategy with their prefix removed (e.g.
 *                           {@code debezium.*}); never null
 */
public record RelayConfig(
        String instanceId,
        String strategy,
        String topicTemplate,
        OutboxTables tables,
        PollingConfig polling,
        RetryConfig retry,
        CircuitBreakerConfig circuitBreaker,
        ParkedPolicy parkedPolicy,
        String deadLetterTopic,
        CleanupConfig cleanup,
        InboxPurgeConfig inboxPurge,
        KafkaConfig kafka,
        Duration metricsInterval,
        Map<String, String> strategyProperties) {

    /** The default topic template, as Debezium's EventRouter: {@code outbox.event.${aggregatetype}}. */
    public static final String DEFAULT_TOPIC_TEMPLATE = "outbox.event.${aggregatetype}";

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public RelayConfig {
        notBlank("relay.instance-id", instanceId);
        if (instanceId.length() > 200) {
            throw new IllegalArgumentException("relay.instance-id must be at most 200 characters, was " + instanceId.length());
        }
        notBlank("relay.strategy", strategy);
        notBlank("relay.topic-template", topicTemplate);
        String sample = topicTemplate.replace("${aggregatetype}", "a").replace("${type}", "t");
        if (!TOPIC.matcher(sample).matches()) {
            throw new IllegalArgumentException("relay.topic-template must give a valid topic name (letters, digits, '.', '_',"
                    + " '-') once ${aggregatetype} and ${type} are replaced, was '" + topicTemplate + "'");
        }
        required("database.schema/database.table-prefix", tables);
        required("relay.polling", polling);
        required("relay.retry", retry);
        required("relay.circuit-breaker", circuitBreaker);
        required("relay.parked-policy", parkedPolicy);
        if (deadLetterTopic != null && !TOPIC.matcher(deadLetterTopic).matches()) {
            throw new IllegalArgumentException("relay.dead-letter-topic must be a valid topic name (letters, digits, '.', '_',"
                    + " '-', at most 249), was '" + deadLetterTopic + "'");
        }
        required("cleanup", cleanup);
        required("cleanup.inbox", inboxPurge);
        required("kafka", kafka);
        between("relay.metrics-interval", metricsInterval, Duration.ofMillis(100), Duration.ofMinutes(10));
        strategyProperties = Map.copyOf(required("strategy properties", strategyProperties));
    }

    /** Every default; the instance id is generated. Kafka brokers must still be set unless a producer is injected. */
    public static RelayConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.instanceId = instanceId;
        b.strategy = strategy;
        b.topicTemplate = topicTemplate;
        b.tables = tables;
        b.polling = polling;
        b.retry = retry;
        b.circuitBreaker = circuitBreaker;
        b.parkedPolicy = parkedPolicy;
        b.deadLetterTopic = deadLetterTopic;
        b.cleanup = cleanup;
        b.inboxPurge = inboxPurge;
        b.kafka = kafka;
        b.metricsInterval = metricsInterval;
        b.strategyProperties = strategyProperties;
        return b;
    }

    static String generatedInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "relay";
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        return host + "-" + pid + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** Builds a {@link RelayConfig}; every setter has the default named on the record component. Not thread-safe. */
    public static final class Builder {
        private String instanceId;
        private String strategy = "polling";
        private String topicTemplate = DEFAULT_TOPIC_TEMPLATE;
        private OutboxTables tables = OutboxTables.ofDefaults();
        private PollingConfig polling = PollingConfig.ofDefaults();
        private RetryConfig retry = RetryConfig.ofDefaults();
        private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.ofDefaults();
        private ParkedPolicy parkedPolicy = ParkedPolicy.HOLD_AGGREGATE;
        private String deadLetterTopic;
        private CleanupConfig cleanup = CleanupConfig.ofDefaults();
        private InboxPurgeConfig inboxPurge = InboxPurgeConfig.ofDefaults();
        private KafkaConfig kafka = KafkaConfig.ofDefaults();
        private Duration metricsInterval = Duration.ofSeconds(5);
        private Map<String, String> strategyProperties = Map.of();

        private Builder() {
        }

        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder topicTemplate(String topicTemplate) {
            this.topicTemplate = topicTemplate;
            return this;
        }

        public Builder tables(OutboxTables tables) {
            this.tables = tables;
            return this;
        }

        public Builder polling(PollingConfig polling) {
            this.polling = polling;
            return this;
        }

        public Builder retry(RetryConfig retry) {
            this.retry = retry;
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
            return this;
        }

        public Builder parkedPolicy(ParkedPolicy parkedPolicy) {
            this.parkedPolicy = parkedPolicy;
            return this;
        }

        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder cleanup(CleanupConfig cleanup) {
            this.cleanup = cleanup;
            return this;
        }

        public Builder inboxPurge(InboxPurgeConfig inboxPurge) {
            this.inboxPurge = inboxPurge;
            return this;
        }

        public Builder kafka(KafkaConfig kafka) {
            this.kafka = kafka;
            return this;
        }

        /** Shorthand for {@code kafka(new KafkaConfig(bootstrapServers, current producer properties))}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.kafka = new KafkaConfig(bootstrapServers, kafka.producer());
            return this;
        }

        public Builder metricsInterval(Duration metricsInterval) {
            this.metricsInterval = metricsInterval;
            return this;
        }

        public Builder strategyProperties(Map<String, String> strategyProperties) {
            this.strategyProperties = strategyProperties;
            return this;
        }

        public RelayConfig build() {
            return new RelayConfig(instanceId == null ? generatedInstanceId() : instanceId, strategy, topicTemplate,
                    tables, polling, retry, circuitBreaker, parkedPolicy, deadLetterTopic, cleanup, inboxPurge, kafka,
                    metricsInterval, strategyProperties);
        }
    }
}
