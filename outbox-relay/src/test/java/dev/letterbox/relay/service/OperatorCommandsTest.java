package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator commands ({@code status}, {@code parked}, {@code replay}) run in this JVM through
 * {@link Main#run} against an in-memory H2 database, for what needs no real server: option
 * validation and how the lease table is shown.
 */
class OperatorCommandsTest {

    @TempDir
    Path dir;

    private String url;
    private Path config;

    @BeforeEach
    void migrate() throws IOException {
        url = "jdbc:h2:mem:operator_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        config = Files.writeString(dir.resolve("relay.yaml"), """
                database:
                  url: %s
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                """.formatted(url));
        CommandLine.Result migrate = run("migrate", "--config", config.toString());
        assertThat(migrate.exitCode()).as(migrate.stderr()).isZero();
    }

    private static CommandLine.Result run(String... args) {
        return CommandLine.run(args);
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Regression: on PostgreSQL and H2 an --id that is not a UUID ended the command with exit code 1 and a stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {"parked retry", "parked drop", "parked list", "replay"})
    void refusesAnEventIdThatIsNotAUuidAsAUsageError(String command) {
        String[] words = command.split(" ");
        String[] args = new String[words.length + 4];
        System.arraycopy(words, 0, args, 0, words.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--id", "order-42"}, 0, args, words.length, 4);

        CommandLine.Result r = run(args);

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--id must be an event id, a UUID such as").contains("was 'order-42'")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void acceptsEventIdsInAnyCaseAndCommaSeparated() throws SQLException {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO \"outbox_event\" (\"id\", \"aggregatetype\", \"aggregateid\", \"type\", \"payload\", \"status\")"
                + " VALUES ('" + id + "', 'order', 'o-1', 'OrderPlaced', X'61', 'PARKED')");

        CommandLine.Result r = run("parked", "retry", "--config", config.toString(), "--id",
                UUID.randomUUID() + "," + id.toString().toUpperCase());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("1 parked event(s) made pending again");
    }

    /** Regression: status listed the membership rows ({@code member-<instance-id>}) as "job" lines. */
    @Test
    void statusShowsMembershipRowsAsInstancesNotJobs() throws Exception {
        String live = "DATEADD('MINUTE', 1, CURRENT_TIMESTAMP)";
        String expired = "DATEADD('MINUTE', -1, CURRENT_TIMESTAMP)";
        sql("MERGE INTO \"outbox_lease\" (\"name\", \"owner\", \"epoch\", \"expires_at\") KEY (\"name\") VALUES"
                + " ('shard-0', 'relay-a', 3, " + live + "), ('shard-1', 'relay-b', 1, " + live + "),"
                + " ('member-relay-a', 'relay-a', 1, " + live + "), ('member-relay-b', 'relay-b', 1, " + live + "),"
                + " ('member-relay-gone', 'relay-gone', 1, " + expired + "), ('cleanup', 'relay-a', 2, " + live + ")");

        CommandLine.Result text = run("status", "--config", config.toString());
        CommandLine.Result json = run("status", "--config", config.toString(), "--json");

        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).containsPattern("instances\\s+2 live\\R  relay-a\\R  relay-b\\R")
                .containsPattern("job cleanup\\s+relay-a").doesNotContain("member-", "relay-gone");
        JsonNode report = new ObjectMapper().readTree(json.stdout());
        assertThat(report.get("instances")).extracting(i -> i.get("instanceId").asText())
                .containsExactly("relay-a", "relay-b");
        assertThat(report.get("jobs")).extracting(j -> j.get("name").asText()).containsExactly("cleanup");
    }
}
