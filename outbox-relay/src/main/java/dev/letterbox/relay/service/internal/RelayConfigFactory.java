package dev.letterbox.relay.service.internal;

import static dev.letterbox.relay.service.internal.RelayKeys.*;
import static dev.letterbox.relay.service.internal.ServiceKeys.*;

import dev.letterbox.relay.CircuitBreakerConfig;
import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.InboxPurgeConfig;
import dev.letterbox.relay.KafkaConfig;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import dev.letterbox.outbox.OutboxTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the relay library's {@link RelayConfig} from bound values; the library's own validation
 * messages (which start with the key path) are reported with the line the key was written on.
 *
 * <p>Stateless and thread-safe.
 */
public final class RelayConfigFactory {

    /** The cdc strategy's own key for the write mode, inside the {@code debezium.*} section. */
    private static final String CDC_WRITE_MODE = "letterbox.write-mode";

    private RelayConfigFactory() {
    }

    /**
     * Builds the relay configuration.
     *
     * @throws ConfigException listing every rule the values break
     */
    public static RelayConfig create(String source, BoundValues v) {
        List<ConfigProblem> problems = new ArrayList<>();
        PollingConfig polling = attempt(problems, v, () -> PollingConfig.builder()
                .batchSize(v.get(POLLING_BATCH_SIZE)).leaseTtl(v.get(POLLING_LEASE_TTL))
                .idleBackoffMin(v.get(POLLING_IDLE_BACKOFF_MIN)).idleBackoffMax(v.get(POLLING_IDLE_BACKOFF_MAX))
                .listenNotify(v.get(POLLING_LISTEN_NOTIFY)).workers(v.get(POLLING_WORKERS)).mode(v.get(POLLING_MODE))
                .positionFlushInterval(v.get(POLLING_POSITION_FLUSH_INTERVAL)).horizonWait(v.get(POLLING_HORIZON_WAIT))
                .readInterval(v.get(POLLING_READ_INTERVAL)).balance(v.get(POLLING_BALANCE))
                .build());
        RetryConfig retry = attempt(problems, v, () -> RetryConfig.builder()
                .initialBackoff(v.get(RETRY_INITIAL_BACKOFF)).maxBackoff(v.get(RETRY_MAX_BACKOFF))
                .multiplier(v.get(RETRY_MULTIPLIER)).jitter(v.get(RETRY_JITTER))
                .maxAttempts(v.get(RETRY_MAX_ATTEMPTS)).build());
        CircuitBreakerConfig breaker = attempt(problems, v, () -> CircuitBreakerConfig.builder()
                .failureThreshold(v.get(BREAKER_FAILURE_THRESHOLD)).openDuration(v.get(BREAKER_OPEN_DURATION)).build());
        CleanupConfig cleanup = attempt(problems, v, () -> CleanupConfig.builder()
                .enabled(v.get(CLEANUP_ENABLED)).retention(v.get(CLEANUP_RETENTION))
                .batchSize(v.get(CLEANUP_BATCH_SIZE)).pause(v.get(CLEANUP_PAUSE))
                .interval(v.get(CLEANUP_INTERVAL)).build());
        InboxPurgeConfig inbox = attempt(problems, v, () -> new InboxPurgeConfig(v.get(INBOX_PURGE_ENABLED),
                v.get(INBOX_PURGE_RETENTION)));
        KafkaConfig kafka = attempt(problems, v, () -> new KafkaConfig(v.get(KAFKA_BOOTSTRAP_SERVERS),
                v.section(KAFKA_PRODUCER)));
        OutboxTables tables = attempt(problems, v, () -> OutboxTables.of(v.get(DATABASE_SCHEMA),
                v.get(DATABASE_TABLE_PREFIX)));
        String strategy = v.get(STRATEGY);
        String writeMode = v.get(WRITE_MODE);
        if (!"table".equals(writeMode) && !"cdc".equals(strategy)) {
            problems.add(ConfigProblem.at(WRITE_MODE.path(), v.lineOf(WRITE_MODE.path()), 0, WRITE_MODE.path()
                    + " " + writeMode + " writes no rows for the polling strategy to read: set relay.strategy: cdc,"
                    + " or relay.write-mode: table"));
        }
        Map<String, String> strategyProperties = strategyProperties(v, strategy, writeMode, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        RelayConfig relay = attempt(problems, v, () -> RelayConfig.builder()
                .instanceId(v.get(INSTANCE_ID)).strategy(strategy).topicTemplate(v.get(TOPIC_TEMPLATE))
                .deadLetterTopic(v.get(DEAD_LETTER_TOPIC)).parkedPolicy(v.get(PARKED_POLICY))
                .metricsInterval(v.get(METRICS_INTERVAL)).tables(tables).polling(polling).retry(retry)
                .circuitBreaker(breaker).cleanup(cleanup).inboxPurge(inbox).kafka(kafka)
                .strategyProperties(strategyProperties).build());
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return relay;
    }

    /**
     * The {@code debezium.*} section, plus {@code relay.write-mode} for the cdc strategy as its
     * {@code letterbox.write-mode} (regression: the cdc strategy never saw relay.write-mode and ran in
     * TABLE mode whatever the services wrote); the two keys must not disagree.
     */
    private static Map<String, String> strategyProperties(BoundValues v, String strategy, String writeMode,
                                                          List<ConfigProblem> problems) {
        Map<String, String> properties = new LinkedHashMap<>(v.section(DEBEZIUM));
        if (!"cdc".equals(strategy) || v.lineOf(WRITE_MODE.path()) == 0) {
            return properties;
        }
        String own = properties.putIfAbsent(CDC_WRITE_MODE, writeMode);
        if (own != null && !own.trim().toLowerCase(Locale.ROOT).replace('_', '-').equals(writeMode)) {
            problems.add(ConfigProblem.at(WRITE_MODE.path(), v.lineOf(WRITE_MODE.path()), 0, WRITE_MODE.path() + " "
                    + writeMode + " and debezium." + CDC_WRITE_MODE + " " + own + " disagree: set only relay.write-mode"));
        }
        return properties;
    }

    private static <T> T attempt(List<ConfigProblem> problems, BoundValues v, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String path = ConfigCatalog.keys().stream().map(ConfigKey::path)
                    .filter(p -> message.startsWith(p + " "))
                    .max(Comparator.comparingInt(String::length))
                    .orElse(null);
            problems.add(path == null ? ConfigProblem.of(null, message)
                    : ConfigProblem.at(path, v.lineOf(path), 0, message));
            return null;
        }
    }
}
