package dev.letterbox.relay.service.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration files for child relay processes. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #relay} with claims of at most {@code batchSize} rows. */
    static String relay(String jdbcUrl, String user, String password, String bootstrap, String instanceId,
                        int batchSize) {
        return relay(jdbcUrl, user, password, bootstrap, instanceId, "")
                .replace("    lease-ttl: 3s\n", "    lease-ttl: 3s\n    batch-size: " + batchSize + "\n");
    }

    /** A complete configuration: fast polling and leases, an ephemeral admin port, JSON logs. */
    static String relay(String jdbcUrl, String user, String password, String bootstrap, String instanceId,
                        String adminExtra) {
        return """
                database:
                  url: %s
                  username: %s
                  password: "%s"
                  connect-timeout: 2s
                kafka:
                  bootstrap-servers: %s
                relay:
                  instance-id: %s
                  polling:
                    lease-ttl: 3s
                    idle-backoff-max: 100ms
                  metrics-interval: 500ms
                admin:
                  bind-address: 127.0.0.1
                  port: 0
                %s
                """.formatted(jdbcUrl, user, password, bootstrap, instanceId, adminExtra);
    }
}
