package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration files given to the real jar: it refuses them with one screen of text and exit code 3. */
class ServiceConfigErrorsIT {

    private static final String VALID = """
            database:
              url: jdbc:postgresql://127.0.0.1:1/none
              password: ${DB_PASSWORD}
            kafka:
              bootstrap-servers: 127.0.0.1:1
              producer:
                sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required password="kafka-pw";
            admin:
              token: admin-secret-token
            """;

    @TempDir
    Path dir;

    @Test
    void refusesMalformedYamlWithLineAndColumn() {
        Path file = ConfigFiles.write(dir, "bad.yaml", "database:\n  url: x\n   kafka: [1\n");

        RelayProcess p = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());

        assertThat(p.exitCode()).as(p.output()).isEqualTo(3);
        assertThat(p.stderrText()).contains("malformed YAML").containsPattern("line 3, column \\d+");
        assertThat(p.stderrText().lines().count()).isLessThan(25);
    }

    @Test
    void refusesUnknownKeyWithLineAndNearestKeyAndMissingRequiredKeyWithPath() {
        Path file = ConfigFiles.write(dir, "typo.yaml", """
                database:
                  url: jdbc:postgresql://db/app
                relay:
                  polling:
                    batch-sise: 100
                """);

        RelayProcess p = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());

        assertThat(p.exitCode()).as(p.output()).isEqualTo(3);
        assertThat(p.stderrText())
                .contains("line 5, column 5: unknown key 'relay.polling.batch-sise'; did you mean 'relay.polling.batch-size'?")
                .contains("missing required key kafka.bootstrap-servers");
        assertThat(p.stdoutText()).as("nothing started, nothing logged").isEmpty();
    }

    @Test
    void refusesAnInvalidValueWithPathRuleAndValue() {
        Path file = ConfigFiles.write(dir, "range.yaml", VALID + "relay:\n  polling:\n    batch-size: 0\n");

        RelayProcess p = RelayProcess.runToEnd(Map.of("DB_PASSWORD", "x"), "config", "check", "--config", file.toString());

        assertThat(p.exitCode()).as(p.output()).isEqualTo(3);
        assertThat(p.stderrText()).contains("line 12").contains("relay.polling.batch-size must be between 1 and 10000, was 0");
    }

    /**
     * Regression: with relay.strategy cdc, outbox-relay.jar (which has no cdc strategy) waited for the
     * database and Kafka and only then ended with exit code 1; it now refuses at once and names the jar
     * that has the strategy.
     */
    @Test
    void runAndConfigCheckRefuseAStrategyThisJarDoesNotHoldAtOnce() throws IOException {
        Path file = ConfigFiles.write(dir, "cdc.yaml", """
                database:
                  url: jdbc:postgresql://127.0.0.1:1/none
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                relay:
                  strategy: cdc
                """);

        RelayProcess p = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());
        RelayProcess check = RelayProcess.runToEnd(Map.of(), "config", "check", "--config", file.toString());

        String message = "relay.strategy cdc is not in this jar (it has [polling]): run outbox-relay-cdc.jar";
        assertThat(p.exitCode()).as(p.output()).isEqualTo(3);
        assertThat(p.stderrText()).contains(message);
        assertThat(p.output()).doesNotContain("unreachable");
        // regression (issue 11, item 17): config check called this file valid, and docs/service.md said
        // that run waits for the database and Kafka, then exits 1
        assertThat(check.exitCode()).as(check.output()).isEqualTo(3);
        assertThat(check.stderrText()).contains(message).doesNotContain("\tat ");
        assertThat(check.stdoutText()).doesNotContain("is valid");
        String docs = Files.readString(Path.of("..", "docs", "service.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(docs).as("docs/service.md quotes the refusal").contains(message).contains("exit code 3");
    }

    /**
     * Regression: an upper-case table prefix passed the loader, then OutboxTables refused it and the
     * process ended with exit code 1 and a stack trace; a logger level that is no level was accepted.
     */
    @Test
    void refusesATablePrefixTheOutboxTablesRefuseAndALoggerLevelThatIsNoLevel() {
        Path file = ConfigFiles.write(dir, "names.yaml", """
                database:
                  url: jdbc:postgresql://127.0.0.1:1/none
                  table-prefix: Orders_
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                logging:
                  loggers:
                    org.apache.kafka: verbose
                """);

        RelayProcess p = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());

        assertThat(p.exitCode()).as(p.output()).isEqualTo(3);
        assertThat(p.stderrText())
                .contains("line 3, column 3: database.table-prefix must be a lower-case SQL identifier")
                .contains("was 'Orders_'")
                .contains("line 8, column 5: logging.loggers.org.apache.kafka must be a log level")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void configCheckPrintsTheEffectiveConfigurationWithSecretsMasked() {
        Path file = ConfigFiles.write(dir, "ok.yaml", VALID);

        RelayProcess p = RelayProcess.runToEnd(Map.of("DB_PASSWORD", "db-secret-pw"), "config", "check",
                "--config", file.toString());

        assertThat(p.exitCode()).as(p.output()).isZero();
        assertThat(p.stdoutText()).contains("is valid").contains("batch-size: 500").contains("password: '******'")
                .doesNotContain("db-secret-pw", "kafka-pw", "admin-secret-token", "PlainLoginModule");
    }

    @Test
    void everyCommandHasHelpWithExitCodes() {
        RelayProcess p = RelayProcess.runToEnd(Map.of(), "replay", "--help");
        RelayProcess run = RelayProcess.runToEnd(Map.of(), "run", "--help");

        assertThat(p.exitCode()).isZero();
        assertThat(p.stdoutText()).contains("--rate").contains("Exit codes:").containsPattern("\\s5\\s+the outbox tables")
                .containsPattern("\\s9\\s+not all were published");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdoutText()).containsPattern("\\s2\\s+wrong command line");
    }
}
