package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1: with {@code database.url: jdbc:mariadb://root:SECRET@127.0.0.1:3306/x},
 * {@code status} exited 7 with "is unreachable (Incorrect port value : SECRET@127.0.0.1)" and
 * {@code run} repeated the secret in a WARN line on every retry. Every command now refuses the URL
 * as a configuration error (exit code 3) and the secret shows nowhere.
 */
class SecretsNeverShownTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"status", "migrate", "parked list", "config check", "run"})
    void refusesAUrlTheDriverCannotReadAsAConfigurationErrorWithoutShowingItsPassword(String command) throws IOException {
        Path config = Files.writeString(dir.resolve("relay.yaml"), """
                database:
                  url: jdbc:mariadb://root:SECRET@127.0.0.1:3306/x
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                """);
        String[] words = command.split(" ");
        String[] args = new String[words.length + 2];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--config";
        args[words.length + 1] = config.toString();

        CommandLine.Result r = CommandLine.run(args);

        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.stderr()).contains("database.url is not a URL the JDBC driver can read");
        assertThat(r.output()).doesNotContain("SECRET", "unreachable");
    }
}
