package dev.letterbox.relay.service.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the service's keys map to Spring Boot properties: every key and pass-through section that
 * still means something inside a Spring Boot application is {@code letterbox.<path>}, with the same
 * type, default and rule; the keys the application itself owns there (its {@code DataSource}, its
 * web server and Actuator, its logging) have no Spring name. Also declares the few keys only the
 * Spring Boot starter reads. The starter binds from these declarations, and the generated
 * docs/configuration.md shows the Spring names beside the YAML ones, so there is one list.
 *
 * <p>Stateless and thread-safe.
 */
public final class SpringBootKeys {

    /** The prefix of every Spring Boot property of Letterbox. */
    public static final String PREFIX = "letterbox.";

    public static final ConfigKey<Boolean> RELAY_ENABLED = ConfigKey.optional("relay.enabled", ValueType.bool(),
            false, "Runs the embedded relay in the application, started and stopped with its context.");
    public static final ConfigKey<Boolean> RELAY_WAKE_ON_COMMIT = ConfigKey.optional("relay.wake-on-commit",
            ValueType.bool(), true, "Wakes the embedded relay when a transaction that appended events commits,"
                    + " instead of leaving it to the next poll.");
    public static final ConfigKey<Duration> OUTBOX_NOTIFY_RELAY = ConfigKey.optional("outbox.notify-relay",
            ValueType.duration(), null, "PostgreSQL only: the `Outbox` bean also sends `NOTIFY <prefix>event` in the"
                    + " appending transaction, at most once per this interval (`0s`: every append), to wake a relay"
                    + " running with `relay.polling.listen-notify: true`; unset, it never does"
                    + " (`Outbox.Builder.notifyRelay`).");
    public static final ConfigKey<Boolean> SCHEMA_MIGRATE = ConfigKey.optional("schema.migrate", ValueType.bool(),
            false, "Creates or upgrades the outbox tables at start-up with `OutboxSchema.migrate`.");
    public static final ConfigKey<Boolean> SCHEMA_FLYWAY = ConfigKey.optional("schema.flyway", ValueType.bool(), true,
            "When Flyway is on the class path and `schema.migrate` is false, runs the outbox scripts as Flyway"
                    + " migrations with their own history table `outbox_flyway_history` (default table names only).");

    /** Keys and sections the application owns in Spring Boot (spring.datasource.*, Actuator, logging.*). */
    private static final Set<String> SERVICE_ONLY = Set.of("database.url", "database.username", "database.password",
            "database.pool-size", "database.connect-timeout", "admin.bind-address", "admin.port", "admin.token",
            "logging.format", "logging.level", "logging.loggers");

    private SpringBootKeys() {
    }

    /** The keys only the Spring Boot starter reads, in reference order. */
    public static List<ConfigKey<?>> springOnly() {
        return List.of(RELAY_ENABLED, RELAY_WAKE_ON_COMMIT, OUTBOX_NOTIFY_RELAY, SCHEMA_MIGRATE, SCHEMA_FLYWAY);
    }

    /** The service's keys that a Spring Boot application sets, in reference order. */
    public static List<ConfigKey<?>> shared() {
        return ConfigCatalog.keys().stream().filter(k -> applies(k.path())).toList();
    }

    /** The service's pass-through sections that a Spring Boot application sets. */
    public static List<PassThroughSection> sharedSections() {
        return ConfigCatalog.sections().stream().filter(s -> applies(s.prefix())).toList();
    }

    /** {@code letterbox.<path>} for a key or section a Spring Boot application sets, else null. */
    public static String springName(String path) {
        return applies(path) ? PREFIX + path : null;
    }

    private static boolean applies(String path) {
        return !SERVICE_ONLY.contains(path);
    }
}
