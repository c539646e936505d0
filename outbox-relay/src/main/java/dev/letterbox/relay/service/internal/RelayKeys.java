package dev.letterbox.relay.service.internal;

import dev.letterbox.relay.CircuitBreakerConfig;
import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.InboxPurgeConfig;
import dev.letterbox.relay.ParkedPolicy;
import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RetryConfig;
import java.time.Duration;
import java.util.List;

/**
 * Declarations of the relay's keys ({@code relay.*},
 * {@code cleanup.*}); defaults come from the relay library's {@code ofDefaults()} so they are
 * written down once. Ranges are enforced by the relay's configuration records.
 */
public final class RelayKeys {

    private static final PollingConfig POLLING = PollingConfig.ofDefaults();
    private static final RetryConfig RETRY = RetryConfig.ofDefaults();
    private static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.ofDefaults();
    private static final CleanupConfig CLEANUP = CleanupConfig.ofDefaults();
    private static final InboxPurgeConfig INBOX = InboxPurgeConfig.ofDefaults();

    private static final RelayConfig RELAY = RelayConfig.builder().instanceId("defaults").build();

    public static final ConfigKey<String> TOPIC_TEMPLATE = ConfigKey.optional("relay.topic-template",
            ValueType.template("aggregatetype", "type"), RELAY.topicTemplate(),
            "Topic of an event whose row has no `topic`; `${aggregatetype}` and `${type}` are replaced by the row's"
                    + " values (they are not environment variables).");
    public static final ConfigKey<String> DEAD_LETTER_TOPIC = ConfigKey.optional("relay.dead-letter-topic",
            ValueType.string(), null,
            "When set, a parked event is also copied to this topic with the reason in a header.");
    public static final ConfigKey<Duration> METRICS_INTERVAL = ConfigKey.optional("relay.metrics-interval",
            ValueType.duration(), RELAY.metricsInterval(),
            "How often the backlog and oldest-age gauges are read from the database (100ms..10m).");

    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.optional("relay.instance-id", ValueType.string(),
            null, "This instance's name in leases and logs (at most 200 characters); defaults to"
                    + " `<hostname>-<pid>-<random>`, the random part up to four hex digits drawn anew at each start, so"
                    + " set it for a name that stays the same across restarts.");
    public static final ConfigKey<String> STRATEGY = ConfigKey.optional("relay.strategy",
            ValueType.oneOf("polling", "cdc"), "polling",
            "`polling` claims rows from the outbox table; `cdc` reads the database log (needs outbox-debezium on the classpath).");
    public static final ConfigKey<String> WRITE_MODE = ConfigKey.optional("relay.write-mode",
            ValueType.oneOf("table", "insert-and-delete", "logical-message"), "table",
            "How the services write events; anything but `table` needs `relay.strategy: cdc`.");
    public static final ConfigKey<ParkedPolicy> PARKED_POLICY = ConfigKey.optional("relay.parked-policy",
            ValueType.enumOf(ParkedPolicy.class), ParkedPolicy.HOLD_AGGREGATE,
            "`hold-aggregate`: later events of a parked event's aggregate wait (order holds); `skip`: they are published.");

    public static final ConfigKey<Integer> POLLING_BATCH_SIZE = ConfigKey.optional("relay.polling.batch-size",
            ValueType.integer(), POLLING.batchSize(), "Rows claimed per statement (1..10000).");
    public static final ConfigKey<Duration> POLLING_LEASE_TTL = ConfigKey.optional("relay.polling.lease-ttl",
            ValueType.duration(), POLLING.leaseTtl(),
            "How long a shard lease lasts without renewal; a dead instance's shards are taken over after this (1s..5m).");
    public static final ConfigKey<Duration> POLLING_IDLE_BACKOFF_MIN = ConfigKey.optional(
            "relay.polling.idle-backoff-min", ValueType.duration(), POLLING.idleBackoffMin(),
            "First pause after an empty claim; doubles while claims stay empty (0..10s).");
    public static final ConfigKey<Duration> POLLING_IDLE_BACKOFF_MAX = ConfigKey.optional(
            "relay.polling.idle-backoff-max", ValueType.duration(), POLLING.idleBackoffMax(),
            "Longest pause between claims when idle (up to 60s).");
    public static final ConfigKey<Integer> POLLING_WORKERS = ConfigKey.optional("relay.polling.workers",
            ValueType.integer(), POLLING.workers(),
            "Poller threads per instance, each claiming from its own slice of the owned shards; an aggregate always"
                    + " lands on the same thread (1..16).");
    public static final ConfigKey<Boolean> POLLING_LISTEN_NOTIFY = ConfigKey.optional("relay.polling.listen-notify",
            ValueType.bool(), POLLING.listenNotify(), "PostgreSQL only: also wake up on `NOTIFY <prefix>event`, which the writers send (the outbox's notifyRelay option or their own NOTIFY; the relay only listens, on one pooled connection); in log mode an idle relay then relies on it and reads about once a second.");
    public static final ConfigKey<String> POLLING_MODE = ConfigKey.optional("relay.polling.mode",
            ValueType.oneOf(PollingConfig.MODES.toArray(String[]::new)), POLLING.mode(),
            "`log` (PostgreSQL): a position per shard, published rows are never updated; `mark`: each published row is"
                    + " updated to PUBLISHED; `auto`: log on PostgreSQL (mark while other live instances run the table in"
                    + " mark mode, so a rolling upgrade keeps publishing), mark elsewhere. Mark and log instances refuse"
                    + " to run together on one table.");
    public static final ConfigKey<Duration> POLLING_POSITION_FLUSH_INTERVAL = ConfigKey.optional(
            "relay.polling.position-flush-interval", ValueType.duration(), POLLING.positionFlushInterval(),
            "Log mode: how often positions are stored at most while batches are small (0..10s); a crash re-sends"
                    + " what was published since the last store.");
    public static final ConfigKey<Duration> POLLING_HORIZON_WAIT = ConfigKey.optional("relay.polling.horizon-wait",
            ValueType.duration(), POLLING.horizonWait(),
            "Log mode: how long a transaction may run before the relay publishes past it (10ms..1h); its rows are"
                    + " read when it ends.");
    public static final ConfigKey<Duration> POLLING_READ_INTERVAL = ConfigKey.optional("relay.polling.read-interval",
            ValueType.duration(), POLLING.readInterval(),
            "Shortest time between two claims of a poller once it has caught up (0..1s): at a steady rate the events"
                    + " committed meanwhile go out in one claim; backlogs are read back to back.");
    public static final ConfigKey<String> POLLING_BALANCE = ConfigKey.optional("relay.polling.balance",
            ValueType.oneOf(PollingConfig.BALANCES.toArray(String[]::new)), POLLING.balance(),
            "`spread`: each live instance holds an equal share of the 64 shards (a backlog drains on all of them);"
                    + " `packed`: one instance holds every shard and the others stand by, so at steady rates the fleet"
                    + " reads as often as one instance; a standby takes over within `lease-ttl` when the active"
                    + " instance dies, at its next lease cycle when it stops. Set the same on every instance.");

    public static final ConfigKey<Duration> RETRY_INITIAL_BACKOFF = ConfigKey.optional("relay.retry.initial-backoff",
            ValueType.duration(), RETRY.initialBackoff(), "First pause after a failure (1ms..1m).");
    public static final ConfigKey<Duration> RETRY_MAX_BACKOFF = ConfigKey.optional("relay.retry.max-backoff",
            ValueType.duration(), RETRY.maxBackoff(), "Longest pause between retries (up to 10m).");
    public static final ConfigKey<Double> RETRY_MULTIPLIER = ConfigKey.optional("relay.retry.multiplier",
            ValueType.decimal(), RETRY.multiplier(), "Growth of the pause per consecutive failure (1.0..10.0).");
    public static final ConfigKey<Double> RETRY_JITTER = ConfigKey.optional("relay.retry.jitter",
            ValueType.decimal(), RETRY.jitter(), "Random spread of each pause, as a fraction of it (0.0..1.0).");
    public static final ConfigKey<Integer> RETRY_MAX_ATTEMPTS = ConfigKey.optional("relay.retry.max-attempts",
            ValueType.integer(), RETRY.maxAttempts(),
            "Failed attempts of one event with a permanent error before it is parked (1..100); broker outages never park.");

    public static final ConfigKey<Integer> BREAKER_FAILURE_THRESHOLD = ConfigKey.optional(
            "relay.circuit-breaker.failure-threshold", ValueType.integer(),
            BREAKER.failureThreshold(), "Consecutive failed batches that open the circuit breaker (1..1000).");
    public static final ConfigKey<Duration> BREAKER_OPEN_DURATION = ConfigKey.optional(
            "relay.circuit-breaker.open-duration", ValueType.duration(), BREAKER.openDuration(),
            "How long the breaker stays open before a trial batch (100ms..10m).");

    public static final ConfigKey<Boolean> CLEANUP_ENABLED = ConfigKey.optional("cleanup.enabled", ValueType.bool(),
            CLEANUP.enabled(), "Whether this instance takes part in deleting published rows (one instance runs it at a time).");
    public static final ConfigKey<Duration> CLEANUP_RETENTION = ConfigKey.optional("cleanup.retention",
            ValueType.duration(), CLEANUP.retention(), "Published rows older than this are deleted.");
    public static final ConfigKey<Integer> CLEANUP_BATCH_SIZE = ConfigKey.optional("cleanup.batch-size",
            ValueType.integer(), CLEANUP.batchSize(), "Rows deleted per statement (1..100000).");
    public static final ConfigKey<Duration> CLEANUP_PAUSE = ConfigKey.optional("cleanup.pause", ValueType.duration(),
            CLEANUP.pause(), "Pause between two delete statements (0..1m).");
    public static final ConfigKey<Duration> CLEANUP_INTERVAL = ConfigKey.optional("cleanup.interval",
            ValueType.duration(), CLEANUP.interval(), "Time between two cleanup runs (1s..1d).");
    public static final ConfigKey<Boolean> INBOX_PURGE_ENABLED = ConfigKey.optional("cleanup.inbox.enabled",
            ValueType.bool(), INBOX.enabled(), "Whether old inbox entries are purged with the cleanup.");
    public static final ConfigKey<Duration> INBOX_PURGE_RETENTION = ConfigKey.optional("cleanup.inbox.retention",
            ValueType.duration(), INBOX.retention(),
            "Inbox entries older than this are deleted; must exceed the longest time a duplicate can arrive.");

    private RelayKeys() {
    }

    static List<ConfigKey<?>> relay() {
        return List.of(INSTANCE_ID, STRATEGY, WRITE_MODE, TOPIC_TEMPLATE, DEAD_LETTER_TOPIC, PARKED_POLICY, POLLING_BATCH_SIZE, POLLING_LEASE_TTL,
                POLLING_IDLE_BACKOFF_MIN, POLLING_IDLE_BACKOFF_MAX, POLLING_LISTEN_NOTIFY, POLLING_WORKERS, POLLING_MODE,
                POLLING_POSITION_FLUSH_INTERVAL, POLLING_HORIZON_WAIT, POLLING_READ_INTERVAL, POLLING_BALANCE, RETRY_INITIAL_BACKOFF,
                RETRY_MAX_BACKOFF, RETRY_MULTIPLIER, RETRY_JITTER, RETRY_MAX_ATTEMPTS, BREAKER_FAILURE_THRESHOLD,
                BREAKER_OPEN_DURATION, METRICS_INTERVAL);
    }

    static List<ConfigKey<?>> cleanup() {
        return List.of(CLEANUP_ENABLED, CLEANUP_RETENTION, CLEANUP_BATCH_SIZE, CLEANUP_PAUSE, CLEANUP_INTERVAL,
                INBOX_PURGE_ENABLED, INBOX_PURGE_RETENTION);
    }
}
