package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One `run` process of the real jar on real PostgreSQL and Kafka: admin endpoints, replay, graceful stop. */
class ServiceRunIT {

    private static final String TOKEN = "it-admin-token";

    @TempDir
    Path dir;

    @Test
    void servesAdminEndpointsPublishesReplaysAndStopsGracefullyUnderLoad() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String type = "svcrun" + UUID.randomUUID().toString().substring(0, 8);
        String topic = kafka.createTopic("outbox.event." + type, 3);
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_run");
             Consumed consumed = new Consumed(kafka, topic)) {
            DataSource ds = db.dataSource();
            Outboxes.migrate(ds);
            Path file = ConfigFiles.write(dir, "run.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-run-1", "  token: ${ADMIN_TOKEN}"));

            try (RelayProcess relay = RelayProcess.start(Map.of("ADMIN_TOKEN", TOKEN), "run", "--config", file.toString())) {
                Admin admin = Admin.of(relay);
                assertThat(admin.get("/health/live").status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> admin.get("/health/ready").status() == 200);
                assertThat(admin.get("/health/ready").json().get("kafka").asText()).isEqualTo("UP");

                // delivery
                Outboxes.insert(ds, type, 5, 0, 10);
                consumed.awaitAtLeast(50, Duration.ofSeconds(60));
                assertThat(consumed.events().stream().map(Consumed.Event::id).distinct()).hasSize(50);

                // logs: JSON lines with the instance id; the effective configuration without the token
                assertThat(relay.stdout()).allMatch(l -> l.startsWith("{"), "every line is JSON");
                assertThat(relay.stdoutText()).contains("\"instance_id\":\"it-run-1\"").contains("effective configuration")
                        .doesNotContain(TOKEN);

                // metrics
                String metrics = admin.get("/metrics").body();
                assertThat(metrics).contains("outbox_").contains("jvm_memory_used_bytes");

                // log level: read, refuse without token, change with token, revert after the duration
                assertThat(admin.get("/admin/log-level?logger=dev.letterbox").json().get("effectiveLevel").asText())
                        .isEqualTo("INFO");
                assertThat(admin.post("/admin/log-level?logger=dev.letterbox&level=DEBUG", null).status()).isEqualTo(401);
                assertThat(admin.post("/admin/log-level?logger=dev.letterbox&level=DEBUG", "wrong").status()).isEqualTo(401);
                Admin.Response changed = admin.post("/admin/log-level?logger=dev.letterbox&level=DEBUG&revertAfter=2s", TOKEN);
                assertThat(changed.status()).as(changed.body()).isEqualTo(200);
                assertThat(changed.json().get("level").asText()).isEqualTo("DEBUG");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        admin.get("/admin/log-level?logger=dev.letterbox").json().get("effectiveLevel").asText().equals("INFO"));

                // replay one aggregate: the same event ids arrive again
                RelayProcess replay = RelayProcess.runToEnd(Map.of("ADMIN_TOKEN", TOKEN), "replay", "--config",
                        file.toString(), "--aggregate", "agg-1", "--rate", "50");
                assertThat(replay.exitCode()).as(replay.output()).isZero();
                assertThat(replay.stdoutText()).contains("10 event(s) published again");
                assertThat(replay.stderrText()).contains("100% 10/10");
                consumed.awaitAtLeast(60, Duration.ofSeconds(30));
                Set<String> agg1 = consumed.events().stream().filter(e -> e.key().equals("agg-1"))
                        .map(Consumed.Event::id).collect(Collectors.toSet());
                assertThat(consumed.events().stream().filter(e -> e.key().equals("agg-1"))).hasSize(20);
                assertThat(agg1).hasSize(10);

                // SIGTERM under load: exit 0 within 10 s, leases released
                AtomicBoolean writing = new AtomicBoolean(true);
                Thread writer = new Thread(() -> {
                    for (int round = 100; writing.get(); round++) {
                        try {
                            Outboxes.insert(ds, type, 20, round, round + 1);
                        } catch (java.sql.SQLException e) {
                            return;
                        }
                    }
                }, "it-writer");
                writer.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> consumed.events().size() > 300);
                long start = System.nanoTime();
                relay.terminate();
                int code = relay.awaitExit(Duration.ofSeconds(15));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                writing.set(false);
                writer.join();
                assertThat(code).as(relay.output()).isZero();
                assertThat(tookMs).as("graceful stop time").isLessThan(10_000);
                assertThat(Outboxes.count(ds, "SELECT count(*) FROM outbox_lease WHERE owner = 'it-run-1'"
                        + " AND expires_at > now()")).as("leases held after stop").isZero();
                assertThat(relay.stdoutText()).as(relay.output()).contains("service stopped");
                // regression (issue 11, item 13): "relay started" and "relay stopped" were each logged twice
                for (String event : new String[] {"\"relay started\"", "\"relay stopped\"", "\"service running\"",
                        "\"service stopped\""}) {
                    assertThat(relay.stdout().stream().filter(l -> l.contains("\"message\":" + event)))
                            .as(event + " in\n" + relay.output()).hasSize(1);
                }
            }
        }
    }
}
