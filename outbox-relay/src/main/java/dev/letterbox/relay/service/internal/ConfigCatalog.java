package dev.letterbox.relay.service.internal;

import java.util.List;

/**
 * Every configuration key and pass-through section of the standalone service, grouped by the
 * section of the YAML file they belong to, in the order the reference documents them.
 */
public final class ConfigCatalog {

    /** A titled group of keys, one per top-level section of the file. */
    public record Group(String name, String doc, List<ConfigKey<?>> keys, List<PassThroughSection> sections) {
    }

    private ConfigCatalog() {
    }

    /** The groups in reference order. */
    public static List<Group> groups() {
        List<ConfigKey<?>> kafka = List.of(ServiceKeys.KAFKA_BOOTSTRAP_SERVERS);
        return List.of(
                new Group("database", "The database that holds the outbox tables.", ServiceKeys.database(), List.of()),
                new Group("kafka", "The Kafka cluster events are published to.", kafka,
                        List.of(ServiceKeys.KAFKA_PRODUCER)),
                new Group("relay", "How the relay finds, publishes and retries events.", RelayKeys.relay(), List.of()),
                new Group("cleanup", "Deleting published rows and old inbox entries.", RelayKeys.cleanup(), List.of()),
                new Group("admin", "The admin HTTP server: health, metrics, log levels.", ServiceKeys.admin(),
                        List.of()),
                new Group("logging", "The service's logs (on standard output).", ServiceKeys.logging(),
                        List.of(ServiceKeys.LOGGING_LOGGERS)),
                new Group("debezium", "Settings of the `cdc` strategy.", List.of(), List.of(ServiceKeys.DEBEZIUM)));
    }

    /** Every declared key. */
    public static List<ConfigKey<?>> keys() {
        return groups().stream().flatMap(g -> g.keys().stream()).toList();
    }

    /** Every pass-through section. */
    public static List<PassThroughSection> sections() {
        return groups().stream().flatMap(g -> g.sections().stream()).toList();
    }
}
