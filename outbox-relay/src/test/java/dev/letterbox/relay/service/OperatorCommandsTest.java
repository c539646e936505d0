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

    /** Regression (issue 11, item 5): {@code --limit=-1} ended with exit code 1 and a SQL stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {"-1", "0", "100001"})
    void refusesALimitOutOfRangeAsAUsageError(String limit) {
        CommandLine.Result r = run("parked", "list", "--config", config.toString(), "--limit=" + limit);

        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.stderr()).contains("--limit must be between 1 and 100000, was " + limit)
                .doesNotContain("Exception", "\tat ");
    }

    /**
     * Regression (issue 11, item 9): every bad option printed about 30 lines of usage after the one-line
     * error, so the error scrolled away.
     */
    @Test
    void answersABadOptionWithTheErrorAndAOneLineHint() {
        CommandLine.Result unknown = run("status", "--config", config.toString(), "--jsn");
        CommandLine.Result malformed = run("replay", "--config", config.toString(), "--rate", "fast", "--all");
        CommandLine.Result noCommand = run();

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).startsWith("outbox-relay: Unknown option: '--jsn'")
                .contains("Possible solutions: --json")
                .endsWith("Run 'java -jar outbox-relay.jar status --help' for usage." + System.lineSeparator());
        assertThat(unknown.stderr().lines().count()).isLessThanOrEqualTo(4);
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr().lines()).hasSizeLessThanOrEqualTo(2).last().asString()
                .isEqualTo("Run 'java -jar outbox-relay.jar replay --help' for usage.");
        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.stderr().lines()).containsExactly("outbox-relay: name a command: run, migrate, status,"
                + " parked, replay or config", "Run 'java -jar outbox-relay.jar --help' for usage.");
    }

    /**
     * Regression (issue 11, item 10): {@code parked list} cut the error at 117 characters, most of them
     * the event id repeated, did not show the topic and had no machine-readable output.
     */
    @Test
    void listsParkedEventsWithTheCauseFirstTheTopicAndAsJson() throws Exception {
        UUID id = UUID.randomUUID();
        String error = "Kafka refused event " + id + " for topic 'bad topic!' (InvalidTopicException: Invalid topics:"
                + " [bad topic!]); it will not be accepted as it is; the event is parked after attempt 3 of 3: fix it"
                + " or the topic, then `parked retry` it";
        sql("INSERT INTO \"outbox_event\" (\"id\", \"aggregatetype\", \"aggregateid\", \"type\", \"payload\","
                + " \"status\", \"attempts\", \"topic\", \"last_error\") VALUES ('" + id + "', 'order', 'o-1',"
                + " 'OrderPlaced', X'61', 'PARKED', 3, 'bad topic!', '" + error.replace("'", "''") + "')",
                "INSERT INTO \"outbox_event\" (\"id\", \"aggregatetype\", \"aggregateid\", \"type\", \"payload\","
                + " \"status\", \"attempts\", \"last_error\") VALUES ('" + UUID.randomUUID() + "', 'invoice', 'i-1',"
                + " 'Sent', X'61', 'PARKED', 1, 'the headers column of event x is not a JSON object')");

        CommandLine.Result text = run("parked", "list", "--config", config.toString());
        CommandLine.Result json = run("parked", "list", "--config", config.toString(), "--json");

        assertThat(text.exitCode()).as(text.output()).isZero();
        assertThat(text.stdout()).containsPattern(id + "\\s+bad topic!\\s+order/o-1\\s+OrderPlaced\\s+3"
                + "\\s+InvalidTopicException: Invalid topics: \\[bad topic!\\]")
                .containsPattern("outbox.event.invoice\\s+invoice/i-1")
                .contains("2 parked event(s) shown");
        JsonNode events = new ObjectMapper().readTree(json.stdout());
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("topic").asText()).isEqualTo("bad topic!");
        assertThat(events.get(0).get("cause").asText()).isEqualTo("InvalidTopicException: Invalid topics: [bad topic!]");
        assertThat(events.get(0).get("error").asText()).isEqualTo(error);
        assertThat(events.get(1).get("topic").asText()).isEqualTo("outbox.event.invoice");
    }

    /** Regression (issue 11, item 10): status printed the oldest age as {@code 183605.3 s}. */
    @Test
    void statusPrintsTheOldestAgeInDaysAndHours() throws Exception {
        sql("INSERT INTO \"outbox_event\" (\"id\", \"aggregatetype\", \"aggregateid\", \"type\", \"payload\","
                + " \"created_at\") VALUES ('" + UUID.randomUUID() + "', 'order', 'o-1', 'OrderPlaced', X'61',"
                + " DATEADD('MINUTE', -(51 * 60 + 10), CURRENT_TIMESTAMP))");

        CommandLine.Result r = run("status", "--config", config.toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).containsPattern("oldest\\s+2d 3h\\R");
    }

    /**
     * Regressions (issue 11, items 7 and 15): a replay of old events made the relay look stuck (the
     * oldest unpublished age, and so readiness and outbox.commit.to.ack, counted from the original
     * created_at); its timeout message said "after PT1S"; its progress wrote carriage returns into a
     * non-terminal.
     */
    @Test
    void replayGivesTheEventsItsOwnTimeBaseAndSaysHowLongItWaited() throws Exception {
        sql("INSERT INTO \"outbox_event\" (\"id\", \"aggregatetype\", \"aggregateid\", \"type\", \"payload\","
                + " \"status\", \"created_at\", \"published_at\") VALUES ('" + UUID.randomUUID() + "', 'order', 'o-1',"
                + " 'OrderPlaced', X'61', 'PUBLISHED', DATEADD('DAY', -2, CURRENT_TIMESTAMP),"
                + " DATEADD('DAY', -2, CURRENT_TIMESTAMP))");

        CommandLine.Result replay = run("replay", "--config", config.toString(), "--aggregate", "o-1", "--timeout", "1s");
        CommandLine.Result status = run("status", "--config", config.toString());

        assertThat(replay.exitCode()).as(replay.output()).isEqualTo(9);
        assertThat(replay.stdout()).contains("1 of 1 event(s) not yet published after 1s: is a relay running");
        assertThat(replay.stderr()).doesNotContain("\r").contains("1/1 queued");
        assertThat(status.stdout()).containsPattern("backlog\\s+1 unpublished")
                .containsPattern("oldest\\s+\\d+\\.\\d s\\R");
    }
}
