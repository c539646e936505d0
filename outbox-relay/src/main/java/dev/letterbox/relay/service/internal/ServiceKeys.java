package dev.letterbox.relay.service.internal;

import dev.letterbox.outbox.OutboxTables;
import java.time.Duration;
import java.util.List;

/**
 * Declarations of the keys the standalone service reads itself: {@code database.*},
 * {@code kafka.*}, {@code admin.*} and {@code logging.*}. The relay's own keys are in
 * {@link RelayKeys}; {@link ConfigCatalog} lists them all.
 */
public final class ServiceKeys {

    public static final ConfigKey<String> DATABASE_URL = ConfigKey.required("database.url", ValueType.jdbcUrl(),
            "JDBC URL of the database that holds the outbox tables, e.g. `jdbc:postgresql://db:5432/app` or"
                    + " `jdbc:mariadb://db:3306/app` (MySQL: `jdbc:mariadb:` or `jdbc:mysql:`, both served by the"
                    + " MariaDB driver). Checked when the file is loaded: a URL the driver cannot read is refused.");
    public static final ConfigKey<String> DATABASE_USERNAME = ConfigKey.optional("database.username",
            ValueType.string(), null, "Database user; may also be given in the URL.");
    public static final ConfigKey<String> DATABASE_PASSWORD = ConfigKey.optional("database.password",
            ValueType.string(), null, "Database password; never printed or logged. Use `${DB_PASSWORD}`.");
    public static final ConfigKey<String> DATABASE_SCHEMA = ConfigKey.optional("database.schema",
            ValueType.schemaName(), null,
            "Schema (PostgreSQL) or database (MariaDB) holding the outbox tables; the connection's default when unset.");
    public static final ConfigKey<String> DATABASE_TABLE_PREFIX = ConfigKey.optional("database.table-prefix",
            ValueType.tablePrefix(), OutboxTables.DEFAULT_PREFIX,
            "Prefix of the outbox table names: `<prefix>event`, `<prefix>lease`, `<prefix>inbox`, `<prefix>schema_version`.");
    public static final ConfigKey<Integer> DATABASE_POOL_SIZE = ConfigKey.optional("database.pool-size",
            ValueType.integer(1, 200), 8, "Maximum number of pooled database connections. The polling"
                    + " relay uses up to two per poller at once (a claim and the previous batch's mark) plus one each"
                    + " for leases, cleanup, the metrics sampler and listen-notify: keep it at least"
                    + " 2 x `relay.polling.workers` + 3.");
    public static final ConfigKey<Duration> DATABASE_CONNECT_TIMEOUT = ConfigKey.optional("database.connect-timeout",
            ValueType.duration(), Duration.ofSeconds(5), "How long one connection attempt may take.");

    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.required("kafka.bootstrap-servers",
            ValueType.hostList(), "Kafka brokers as `host:port`, comma-separated or a YAML list.");

    public static final ConfigKey<String> ADMIN_BIND_ADDRESS = ConfigKey.optional("admin.bind-address",
            ValueType.bindAddress(), "0.0.0.0", "Address the admin HTTP server listens on (`127.0.0.1` for local only).");
    public static final ConfigKey<Integer> ADMIN_PORT = ConfigKey.optional("admin.port", ValueType.integer(0, 65535),
            8080, "Port of the admin HTTP server; 0 picks a free port (the bound port is logged).");
    public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.optional("admin.token", ValueType.string(), null,
            "When set, state-changing admin endpoints (POST/PUT) require `Authorization: Bearer <token>`.");
    public static final ConfigKey<Duration> ADMIN_READINESS_MAX_OLDEST_AGE = ConfigKey.optional(
            "admin.readiness.max-oldest-unpublished-age", ValueType.duration(), Duration.ofMinutes(5),
            "`/health/ready` reports not ready when the oldest unpublished event is older than this; 0s disables the check.");
    public static final ConfigKey<Boolean> ADMIN_READINESS_REQUIRE_CLOSED_CIRCUIT = ConfigKey.optional(
            "admin.readiness.require-closed-circuit", ValueType.bool(), true,
            "`/health/ready` reports not ready while the circuit breaker is open.");

    public static final ConfigKey<String> LOGGING_FORMAT = ConfigKey.optional("logging.format",
            ValueType.oneOf("json", "text"), "json", "`json`: one JSON object per line (for log collectors);"
                    + " `text`: one human-readable line per event.");
    public static final ConfigKey<String> LOGGING_LEVEL = ConfigKey.optional("logging.level",
            ValueType.logLevel(), "info", "Level of the root logger.");

    public static final PassThroughSection KAFKA_PRODUCER = new PassThroughSection("kafka.producer", "linger.ms: 5",
            "Producer properties passed verbatim to kafka-clients; they win over the relay's defaults"
                    + " (acks=all, enable.idempotence=true, ...). `enable.idempotence` must stay true.");
    public static final PassThroughSection LOGGING_LOGGERS = new PassThroughSection("logging.loggers",
            "org.apache.kafka: warn", "Levels of individual loggers by name.", ValueType.logLevel());
    public static final PassThroughSection DEBEZIUM = new PassThroughSection("debezium", "slot.name: letterbox",
            "Properties passed verbatim to the `cdc` strategy (Debezium Embedded), e.g. `slot.name`, `publication.name`.");

    private ServiceKeys() {
    }

    static List<ConfigKey<?>> database() {
        return List.of(DATABASE_URL, DATABASE_USERNAME, DATABASE_PASSWORD, DATABASE_SCHEMA, DATABASE_TABLE_PREFIX,
                DATABASE_POOL_SIZE, DATABASE_CONNECT_TIMEOUT);
    }

    static List<ConfigKey<?>> admin() {
        return List.of(ADMIN_BIND_ADDRESS, ADMIN_PORT, ADMIN_TOKEN, ADMIN_READINESS_MAX_OLDEST_AGE,
                ADMIN_READINESS_REQUIRE_CLOSED_CIRCUIT);
    }

    static List<ConfigKey<?>> logging() {
        return List.of(LOGGING_FORMAT, LOGGING_LEVEL);
    }
}
