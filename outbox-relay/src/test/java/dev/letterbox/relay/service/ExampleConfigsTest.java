package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loads every example configuration in examples/config/ through the real loader, so the examples
 * the docs and examples/docker-compose.yml point at can never go stale.
 */
class ExampleConfigsTest {

    private static final Path DIRECTORY = Path.of("..", "examples", "config");

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyExampleLoadsWithTheDefaultsOfItsPlaceholders() throws IOException {
        List<Path> examples = examples();

        assertThat(examples).extracting(f -> f.getFileName().toString())
                .contains("relay-polling.yaml", "relay-cdc.yaml");
        for (Path file : examples) {
            ServiceConfig config = ServiceConfig.load(file, Map.of());
            assertThat(config.database().url()).as(file.toString()).startsWith("jdbc:");
            assertThat(config.admin().port()).as(file.toString()).isEqualTo(8080);
        }
    }

    @Test
    void everyExampleTakesItsServersAndSecretsFromTheEnvironment() throws IOException {
        Map<String, String> env = Map.of("DB_URL", "jdbc:postgresql://postgres:5432/app", "DB_PASSWORD", "from-env",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "LETTERBOX_ADMIN_PORT", "9090");

        for (Path file : examples()) {
            ServiceConfig config = ServiceConfig.load(file, env);
            assertThat(config.database().url()).as(file.toString()).isEqualTo("jdbc:postgresql://postgres:5432/app");
            assertThat(config.database().password()).as(file.toString()).isEqualTo("from-env");
            assertThat(config.bootstrapServers()).as(file.toString()).isEqualTo("kafka:9092");
            assertThat(config.admin().port()).as(file.toString()).isEqualTo(9090);
            assertThat(config.toMaskedMap()).as(file.toString()).containsEntry("database.password", "******");
        }
    }

    @Test
    void theCdcExampleSelectsTheCdcStrategyAndHandsItTheWriteMode() {
        ServiceConfig config = ServiceConfig.load(DIRECTORY.resolve("relay-cdc.yaml"),
                Map.of("WRITE_MODE", "insert-and-delete"));

        assertThat(config.relay().strategy()).isEqualTo("cdc");
        assertThat(config.toMaskedMap()).containsEntry("relay.write-mode", "insert-and-delete");
        assertThat(config.relay().strategyProperties()).containsEntry("letterbox.write-mode", "insert-and-delete");
    }

    @Test
    void thePollingExampleSelectsThePollingStrategy() {
        ServiceConfig config = ServiceConfig.load(DIRECTORY.resolve("relay-polling.yaml"), Map.of());

        assertThat(config.relay().strategy()).isEqualTo("polling");
        assertThat(config.relay().topicTemplate()).isEqualTo("outbox.event.${aggregatetype}");
        assertThat(config.relay().instanceId()).isNotBlank();
    }

    /**
     * Regression (issue 11, item 17): relay-cdc.yaml said to run {@code Main} with Debezium on the
     * class path instead of pointing to outbox-relay-cdc.jar.
     */
    @Test
    void anExampleWhoseStrategyOutboxRelayJarLacksNamesTheJarThatRunsIt() throws IOException {
        for (Path file : examples()) {
            ServiceConfig config = ServiceConfig.load(file, Map.of());
            if (!dev.letterbox.relay.Relay.strategies().contains(config.relay().strategy())) {
                assertThat(Files.readString(file)).as(file.toString())
                        .contains("java -jar outbox-debezium/target/outbox-relay-cdc.jar run --config " + file.toString()
                                .replace("../", ""));
            }
        }
    }

    /**
     * Regression (issue 11, item 17): examples/docker-compose.yml relied on topics created on first use,
     * which docs/kafka-contract.md advises against; it now creates every topic its relay writes to.
     */
    @Test
    void theComposeFileCreatesTheTopicsItsRelayWritesToWithAutomaticCreationOff() throws IOException {
        String compose = Files.readString(Path.of("..", "examples", "docker-compose.yml"));
        ServiceConfig relay = ServiceConfig.load(DIRECTORY.resolve("relay-polling.yaml"), Map.of());

        assertThat(compose).contains("./config/relay-polling.yaml:/etc/letterbox/relay.yaml")
                .contains("KAFKA_AUTO_CREATE_TOPICS_ENABLE: \"false\"")
                .contains("--topic " + relay.relay().topicTemplate().replace("${aggregatetype}", "order") + " ")
                .contains("--topic " + relay.relay().deadLetterTopic() + " ");
    }
}
