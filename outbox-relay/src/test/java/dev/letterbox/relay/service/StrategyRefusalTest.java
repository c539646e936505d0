package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 17: docs/service.md said that {@code strategy: cdc} on outbox-relay.jar waits, then
 * exits 1 (it exits 3 at once), while {@code config check} called that file valid.
 */
class StrategyRefusalTest {

    @TempDir
    Path dir;

    @Test
    void configCheckRefusesAStrategyThisJarDoesNotHoldAsRunDoesAndTheDocsQuoteTheMessage() throws IOException {
        Path file = Files.writeString(dir.resolve("cdc.yaml"), """
                database:
                  url: jdbc:postgresql://127.0.0.1:1/none
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                relay:
                  strategy: cdc
                """);

        CommandLine.Result check = CommandLine.run("config", "check", "--config", file.toString());

        assertThat(check.exitCode()).as(check.output()).isEqualTo(3);
        String message = "relay.strategy cdc is not in this jar (it has [polling]): run outbox-relay-cdc.jar";
        assertThat(check.stderr()).contains(message).doesNotContain("\tat ");
        assertThat(check.stdout()).doesNotContain("is valid");
        String docs = Files.readString(Path.of("..", "docs", "service.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(docs).as("docs/service.md quotes the refusal").contains(message).contains("exit code 3");
    }
}
