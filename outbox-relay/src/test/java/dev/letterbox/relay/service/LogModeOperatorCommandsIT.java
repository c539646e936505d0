package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RetryConfig;
import dev.letterbox.relay.it.RelayTestKit;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status}, {@code parked retry} and {@code replay} on a table in log mode, where published
 * rows stay PENDING behind their shard's position and a held-back event is parked with its
 * predecessor: the same answers as in mark mode.
 */
class LogModeOperatorCommandsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void statusParkedRetryAndReplayWorkInLogMode() throws Exception {
        try (TestDatabase db = PostgresServer.shared().createDatabase("LogModeOperatorCommandsIT")) {
            RelayTestKit kit = new RelayTestKit(db, KafkaServer.shared(), "log");
            String type = "logops_" + UUID.randomUUID().toString().substring(0, 8);
            String topic = kit.kafka().createTopic("outbox.event." + type, 2);
            Path config = Files.writeString(dir.resolve("relay.yaml"), """
                    database:
                      url: %s
                      username: %s
                      password: "%s"
                    kafka:
                      bootstrap-servers: %s
                    """.formatted(db.jdbcUrl(), db.username(), db.password(), kit.kafka().bootstrapServers()));
            UUID poison = UUID.randomUUID();
            kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, topic) VALUES (?::uuid,"
                    + " ?, 'p-1', 'Bad', ?, 'bad topic name!')", poison.toString(), type, "x".getBytes(StandardCharsets.UTF_8));
            OutboxEvent held = RelayTestKit.event(type, "p-1", "Later", "after the poison");
            OutboxEvent fine = RelayTestKit.event(type, "ok-1", "Fine", "ok");
            kit.append(List.of(held, fine));

            try (Relay relay = kit.relay(kit.config("logops").retry(RetryConfig.builder()
                    .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100)).maxAttempts(1).build()).build())) {
                relay.start();
                await().atMost(WAIT).until(() -> kit.count("PARKED") == 2 && kit.count("PENDING") == 0);

                CommandLine.Result status = CommandLine.run("status", "--config", config.toString(), "--json");
                assertThat(status.exitCode()).as(status.output()).isZero();
                JsonNode s = new ObjectMapper().readTree(status.stdout());
                assertThat(s.get("mode").asText()).isEqualTo("log");
                assertThat(s.get("backlog").asLong()).as("published rows are not backlog").isZero();
                assertThat(s.get("parked").asLong()).isEqualTo(2);
                assertThat(s.get("jobs").toString()).as("the mode row is shown as the mode, not as a job")
                        .doesNotContain("polling-mode");

                // the operator fixes the poison event and retries it: the held-back event goes again with it, after it
                kit.update("UPDATE outbox_event SET topic = NULL WHERE id = ?::uuid", poison.toString());
                CommandLine.Result retry = CommandLine.run("parked", "retry", "--config", config.toString(), "--id",
                        poison.toString());
                assertThat(retry.exitCode()).as(retry.output()).isZero();
                await().atMost(WAIT).until(() -> kit.count("PARKED") == 0 && kit.count("PENDING") == 0);
                List<String> p1 = kit.readTopic(topic, 3, WAIT).stream().filter(r -> new String(r.key(),
                        StandardCharsets.UTF_8).equals("p-1")).map(r -> RelayTestKit.header(r, "id")).toList();
                assertThat(p1).containsExactly(poison.toString(), held.id().toString());

                CommandLine.Result replay = CommandLine.run("replay", "--config", config.toString(), "--aggregate", "ok-1",
                        "--timeout", "60s");
                assertThat(replay.exitCode()).as(replay.output()).isZero();
                List<ConsumerRecord<byte[], byte[]>> all = kit.readTopic(topic, 4, WAIT);
                assertThat(all.stream().filter(r -> RelayTestKit.header(r, "id").equals(fine.id().toString())))
                        .as("the replayed event, sent again").hasSize(2);
            }
        }
    }
}
