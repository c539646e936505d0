package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay started before its database and its broker: it waits, not ready, with a bounded number
 * of log lines, and becomes ready once both appear; no crash loop.
 */
class ServiceStartupWaitIT {

    @TempDir
    Path dir;

    @Test
    void waitsForDatabaseThenKafkaWithoutLogFloodThenBecomesReady() throws Exception {
        int pgPort = freePort();
        int kafkaPort = freePort();
        Path pgData = dir.resolve("pg");
        // an outbox that exists, on a server that is down when the relay starts
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(pgData, pgPort)) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser("postgres");
            Outboxes.migrate(ds);
        }
        Path file = ConfigFiles.write(dir, "wait.yaml", ConfigFiles.relay(url, "postgres", "", "127.0.0.1:" + kafkaPort,
                "it-wait", ""));

        try (RelayProcess relay = RelayProcess.start(Map.of(), "run", "--config", file.toString())) {
            Admin admin = Admin.of(relay);
            assertThat(admin.get("/health/live").status()).isEqualTo(200);
            Admin.Response waiting = admin.get("/health/ready");
            assertThat(waiting.status()).isEqualTo(503);
            assertThat(waiting.json().get("phase").asText()).isEqualTo("waiting-for-database");

            // 1 + 2 + 4 s of pauses: four attempts, so four lines, however often the probe is asked
            await().atLeast(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(7))
                    .until(relay::isAlive);
            long databaseLines = relay.stdout().stream().filter(l -> l.contains("database at")).count();
            assertThat(databaseLines).as(relay.output()).isBetween(2L, 5L);

            try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(pgData, pgPort)) {
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() ->
                        admin.get("/health/ready").json().get("phase").asText().equals("waiting-for-kafka"));
                assertThat(admin.get("/health/ready").status()).isEqualTo(503);

                try (EmbeddedKafkaBroker broker = KafkaServer.startEmbedded(dir.resolve("kafka"), kafkaPort)) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> admin.get("/health/ready").status() == 200);
                    long kafkaLines = relay.stdout().stream().filter(l -> l.contains("Kafka at")).count();
                    assertThat(kafkaLines).as(relay.output()).isLessThanOrEqualTo(8);
                    assertThat(relay.stdout().size()).as("no log flood:\n" + relay.output()).isLessThan(60);
                    relay.terminate();
                    assertThat(relay.awaitExit(Duration.ofSeconds(15))).as(relay.output()).isZero();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
