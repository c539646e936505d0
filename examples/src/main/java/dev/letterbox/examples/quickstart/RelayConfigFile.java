package dev.letterbox.examples.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the relay service's YAML configuration for the quickstart: the same file format and
 * keys a production deployment uses, pointing at the embedded servers. Stateless and thread-safe.
 */
final class RelayConfigFile {

    private RelayConfigFile() {
    }

    /**
     * Writes {@code relay.yaml} into {@code directory} and returns its path.
     *
     * @param jdbcUrl          the database holding the outbox tables, without credentials
     * @param username         the database user
     * @param password         the database password; empty for none
     * @param bootstrapServers the Kafka brokers
     * @param adminPort        the port of the relay's admin HTTP server on 127.0.0.1
     */
    static Path write(Path directory, String jdbcUrl, String username, String password, String bootstrapServers,
                      int adminPort) {
        String yaml = """
                # The relay service's configuration, written by the quickstart. A production file has the
                # same keys; see docs/quickstart.md. ${ENV:default} placeholders work here too.
                database:
                  url: "%s"
                  username: "%s"
                  password: "%s"
                  pool-size: 8
                kafka:
                  bootstrap-servers: "%s"
                  producer:
                    linger.ms: 5
                relay:
                  instance-id: quickstart-relay
                  strategy: polling
                admin:
                  bind-address: 127.0.0.1
                  port: %d
                logging:
                  format: text
                  level: info
                  loggers:
                    org.apache.kafka: warn
                """.formatted(jdbcUrl, username, password, bootstrapServers, adminPort);
        Path file = directory.resolve("relay.yaml");
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the relay configuration " + file, e);
        }
        return file;
    }
}
