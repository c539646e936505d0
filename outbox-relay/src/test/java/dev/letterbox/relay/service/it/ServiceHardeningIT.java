package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: how the real jar's {@code run} starts and fails, as a new user meets it. */
class ServiceHardeningIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Regression (item 3): an admin port in use ended {@code run} with exit code 1 and a stack trace,
     * as an "unexpected" failure, and without the log event of the other fatal errors.
     */
    @Test
    void anAdminPortInUseEndsRunWithExitCode10OneLineAndTheFatalLogEvent() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String yaml = ConfigFiles.relay("jdbc:postgresql://127.0.0.1:1/none", "u", "p", "127.0.0.1:1", "it-port", "")
                    .replace("  port: 0\n", "  port: " + taken.getLocalPort() + "\n");
            Path json = ConfigFiles.write(dir, "json.yaml", yaml);
            Path text = ConfigFiles.write(dir, "text.yaml", yaml + "logging:\n  format: text\n");

            RelayProcess p = RelayProcess.runToEnd(Map.of(), "run", "--config", json.toString());
            RelayProcess t = RelayProcess.runToEnd(Map.of(), "run", "--config", text.toString());

            assertThat(p.exitCode()).as(p.output()).isEqualTo(10);
            assertThat(p.stderrText()).as(p.output()).startsWith("outbox-relay: the admin server cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).contains("choose another admin.port or admin.bind-address");
            assertThat(p.stderrText().lines()).hasSize(1);
            assertThat(p.output()).doesNotContain("\tat ", "Exception");
            JsonNode fatal = JSON.readTree(p.stdout().get(p.stdout().size() - 1));
            assertThat(fatal.get("level").asText()).isEqualTo("ERROR");
            assertThat(fatal.get("exit_code").asInt()).isEqualTo(10);
            assertThat(fatal.get("instance_id").asText()).isEqualTo("it-port");

            // item 13: the text format has the date and the instance id
            assertThat(t.exitCode()).as(t.output()).isEqualTo(10);
            assertThat(t.stdout()).anySatisfy(l -> assertThat(l)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ERROR \\[it-port\\] .*exit_code=\"?10\"?.*"));
        }
    }

    /**
     * Regressions: a bootstrap host that does not resolve ended {@code run} at once with exit code 1
     * (item 2); {@code /metrics} had no {@code outbox_*} meters while the relay waited (item 16); the
     * start-up wait glued its values into the message text (item 13).
     */
    @Test
    void waitsForABrokerWhoseNameDoesNotResolveYetWithTheOutboxMetersAlreadyShown() throws Exception {
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_dns")) {
            Outboxes.migrate(db.dataSource());
            Path file = ConfigFiles.write(dir, "dns.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    "kafka-not-yet.invalid:9092", "it-dns", ""));

            try (RelayProcess relay = RelayProcess.start(Map.of(), "run", "--config", file.toString())) {
                Admin admin = Admin.of(relay);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        relay.stdout().stream().filter(l -> l.contains("\"dependency\":\"kafka\"")).count() >= 2);
                assertThat(relay.isAlive()).as(relay.output()).isTrue();
                assertThat(admin.get("/health/ready").json().get("phase").asText()).isEqualTo("waiting-for-kafka");
                String waitLine = relay.stdout().stream().filter(l -> l.contains("\"dependency\":\"kafka\"")).findFirst()
                        .orElseThrow();
                JsonNode wait = JSON.readTree(waitLine);
                assertThat(wait.get("message").asText()).isEqualTo("dependency unreachable: the relay waits (not ready)"
                        + " and tries again");
                assertThat(wait.get("error").asText()).contains("kafka-not-yet.invalid:9092 is unreachable (no address in"
                        + " kafka.bootstrap-servers resolves yet)");

                String metrics = admin.get("/metrics").body();
                assertThat(metrics).contains("outbox_backlog_events{instance=\"it-dns\",strategy=\"polling\"} NaN")
                        .contains("outbox_oldest_unpublished_age_seconds{instance=\"it-dns\",strategy=\"polling\"} NaN")
                        .contains("outbox_events_published_events_total{instance=\"it-dns\",strategy=\"polling\"} 0.0");

                relay.terminate();
                assertThat(relay.awaitExit(Duration.ofSeconds(20))).as(relay.output()).isZero();
                assertThat(relay.output()).doesNotContain("\tat ", "KafkaAdminClient");
                List<String> stopped = relay.stdout().stream().filter(l -> l.contains("\"service stopped\"")).toList();
                assertThat(stopped).hasSize(1);
            }
        }
    }
}
