package dev.letterbox.relay.service;

import static dev.letterbox.relay.service.internal.ServiceKeys.*;

import dev.letterbox.relay.service.internal.BoundValues;
import dev.letterbox.relay.service.internal.ConfigBinder;
import dev.letterbox.relay.service.internal.ConfigCatalog;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.service.internal.EffectiveConfig;
import dev.letterbox.relay.service.internal.RelayConfigFactory;
import dev.letterbox.relay.service.internal.SecretMasking;
import dev.letterbox.relay.service.internal.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The standalone relay's configuration, loaded from one YAML file with {@code ${ENV}} and
 * {@code ${ENV:default}} substitution and validated as a whole: a file with unknown keys, invalid
 * values or missing required keys is refused with a {@link ConfigException} listing them all.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfig.load(Path.of("relay.yaml"));
 * System.out.println(config.toMaskedYaml());
 * }</pre>
 *
 * <p>Every key is described in docs/configuration.md. Instances are immutable and thread-safe.
 */
public final class ServiceConfig {

    private final String source;
    private final BoundValues values;
    private final Database database;
    private final Admin admin;
    private final Logging logging;
    private final RelayConfig relay;

    private ServiceConfig(String source, BoundValues values) {
        this.source = source;
        this.values = values;
        this.relay = RelayConfigFactory.create(source, values);
        this.database = new Database(values.get(DATABASE_URL), values.get(DATABASE_USERNAME),
                values.get(DATABASE_PASSWORD), values.get(DATABASE_SCHEMA), values.get(DATABASE_TABLE_PREFIX),
                values.get(DATABASE_POOL_SIZE), values.get(DATABASE_CONNECT_TIMEOUT));
        this.admin = new Admin(values.get(ADMIN_BIND_ADDRESS), values.get(ADMIN_PORT), values.get(ADMIN_TOKEN),
                values.get(ADMIN_READINESS_MAX_OLDEST_AGE), values.get(ADMIN_READINESS_REQUIRE_CLOSED_CIRCUIT));
        this.logging = new Logging(values.get(LOGGING_FORMAT), values.get(LOGGING_LEVEL), values.section(LOGGING_LOGGERS));
    }

    /**
     * Loads {@code file}, substituting from the process environment.
     *
     * @throws ConfigException when the file is missing, unreadable or invalid
     */
    public static ServiceConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file}, substituting from {@code env}.
     *
     * @throws ConfigException when the file is missing, unreadable or invalid
     */
    public static ServiceConfig load(Path file, Map<String, String> env) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of(ConfigProblem.of(null,
                    "the file does not exist; pass an existing YAML file with --config (see examples/config/)")));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(ConfigProblem.of(null,
                    "the file cannot be read: " + e.getMessage())));
        }
        return parse(file.toString(), text, env);
    }

    /**
     * Parses YAML {@code text}.
     *
     * @param source the name shown in messages, e.g. the file name
     * @param text   the YAML document
     * @param env    the environment variables for substitution
     * @throws ConfigException listing every problem found
     */
    public static ServiceConfig parse(String source, String text, Map<String, String> env) {
        BoundValues values = new ConfigBinder(ConfigCatalog.keys(), ConfigCatalog.sections(), env)
                .bind(source, YamlReader.read(source, text));
        return new ServiceConfig(source, values);
    }

    /** Where this configuration came from. */
    public String source() {
        return source;
    }

    /** The database settings. */
    public Database database() {
        return database;
    }

    /** The relay library's configuration: strategy, polling, retries, cleanup, Kafka producer, tables. */
    public RelayConfig relay() {
        return relay;
    }

    /** The Kafka brokers, comma-separated. */
    public String bootstrapServers() {
        return values.get(KAFKA_BOOTSTRAP_SERVERS);
    }

    /** Producer properties from {@code kafka.producer.*}, verbatim. */
    public Map<String, String> producerProperties() {
        return values.section(KAFKA_PRODUCER);
    }

    /** Properties from {@code debezium.*} without the prefix, verbatim. */
    public Map<String, String> debeziumProperties() {
        return values.section(DEBEZIUM);
    }

    /** The admin HTTP server settings. */
    public Admin admin() {
        return admin;
    }

    /** The logging settings. */
    public Logging logging() {
        return logging;
    }

    /** Every key with its effective value, secrets masked, by dotted path. */
    public Map<String, String> toMaskedMap() {
        return EffectiveConfig.flat(values);
    }

    /** The effective configuration as YAML, secrets masked. */
    public String toMaskedYaml() {
        return EffectiveConfig.yaml(values);
    }

    /**
     * {@code text} with every secret value of this configuration hidden: {@code database.password},
     * the password inside {@code database.url}, and the values of secret pass-through keys such as
     * {@code kafka.producer.sasl.jaas.config} (with the quoted values inside it). For messages of
     * drivers and clients, which may echo what they were given.
     */
    public String scrub(String text) {
        java.util.Set<String> secrets = new java.util.LinkedHashSet<>();
        secrets.addAll(SecretMasking.valueSecrets(database.password()));
        secrets.addAll(SecretMasking.urlSecrets(database.url()));
        secrets.addAll(SecretMasking.valueSecrets(admin.token()));
        for (Map<String, String> section : List.of(producerProperties(), debeziumProperties())) {
            section.forEach((k, v) -> {
                if (SecretMasking.isSecret(k)) {
                    secrets.addAll(SecretMasking.valueSecrets(v));
                }
            });
        }
        return SecretMasking.scrub(text, secrets);
    }

    /** The bound values, for the service's internals. */
    BoundValues values() {
        return values;
    }

    @Override
    public String toString() {
        return "ServiceConfig" + toMaskedMap();
    }

    /**
     * Keys {@code database.*}.
     *
     * @param url            JDBC URL
     * @param username       user, or null
     * @param password       password, or null; never shown by {@link #toString()}
     * @param schema         schema of the outbox tables, or null for the connection's default
     * @param tablePrefix    prefix of the outbox table names
     * @param poolSize       maximum pooled connections
     * @param connectTimeout how long one connection attempt may take
     */
    public record Database(String url, String username, String password, String schema, String tablePrefix,
                           int poolSize, Duration connectTimeout) {

        @Override
        public String toString() {
            return "Database[url=" + dev.letterbox.relay.service.internal.SecretMasking.mask("database.url", url)
                    + ", username=" + username + ", password=" + (password == null ? null : "******")
                    + ", schema=" + schema + ", tablePrefix=" + tablePrefix + ", poolSize=" + poolSize + "]";
        }
    }

    /**
     * Keys {@code admin.*}.
     *
     * @param bindAddress             listen address
     * @param port                    listen port, 0 for any free port
     * @param token                   bearer token for state-changing endpoints, or null for none
     * @param maxOldestUnpublishedAge readiness threshold, zero to disable
     * @param requireClosedCircuit    whether an open circuit breaker makes the relay not ready
     */
    public record Admin(String bindAddress, int port, String token, Duration maxOldestUnpublishedAge,
                        boolean requireClosedCircuit) {

        @Override
        public String toString() {
            return "Admin[bindAddress=" + bindAddress + ", port=" + port + ", token=" + (token == null ? null : "******")
                    + ", maxOldestUnpublishedAge=" + maxOldestUnpublishedAge + "]";
        }
    }

    /**
     * Keys {@code logging.*}.
     *
     * @param format  {@code json} or {@code text}
     * @param level   root level, lower case
     * @param loggers levels of individual loggers by name
     */
    public record Logging(String format, String level, Map<String, String> loggers) {

        public Logging {
            loggers = Map.copyOf(loggers);
        }
    }
}
