package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two `run` processes of the real jar on one outbox: they share the shards and keep order per aggregate. */
class ServiceTwoInstancesIT {

    private static final int AGGREGATES = 20;
    private static final int PER_AGGREGATE = 30;

    @TempDir
    Path dir;

    @Test
    void twoProcessesShareShardsAndKeepOrderPerAggregate() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String type = "svctwo" + UUID.randomUUID().toString().substring(0, 8);
        String topic = kafka.createTopic("outbox.event." + type, 4);
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_two");
             Consumed consumed = new Consumed(kafka, topic)) {
            DataSource ds = db.dataSource();
            Outboxes.migrate(ds);
            Path a = ConfigFiles.write(dir, "a.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-two-a", ""));
            Path b = ConfigFiles.write(dir, "b.yaml", ConfigFiles.relay(db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), "it-two-b", ""));
            try (RelayProcess first = RelayProcess.start(Map.of(), "run", "--config", a.toString());
                 RelayProcess second = RelayProcess.start(Map.of(), "run", "--config", b.toString())) {
                Outboxes.insert(ds, type, AGGREGATES, 0, PER_AGGREGATE / 2);
                // two JVMs starting at once on a loaded 2-core machine: 60 s was not always enough (a full
                // module run at a load of about 20 timed out here; alone it takes about 25 s)
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                        .failFast("a relay exited:\n" + first.output() + "\n" + second.output(),
                                () -> !first.isAlive() || !second.isAlive())
                        .until(() -> Outboxes.count(ds, "SELECT count(DISTINCT owner) FROM outbox_lease"
                                + " WHERE name LIKE 'shard-%' AND expires_at > now()") == 2);
                Outboxes.insert(ds, type, AGGREGATES, PER_AGGREGATE / 2, PER_AGGREGATE);

                consumed.awaitAtLeast(AGGREGATES * PER_AGGREGATE, Duration.ofSeconds(90));

                Map<String, Long> shardsByOwner = new HashMap<>();
                for (String owner : List.of("it-two-a", "it-two-b")) {
                    shardsByOwner.put(owner, Outboxes.count(ds, "SELECT count(*) FROM outbox_lease WHERE name LIKE"
                            + " 'shard-%' AND owner = '" + owner + "' AND expires_at > now()"));
                }
                assertThat(shardsByOwner.values()).as("both own shards: " + shardsByOwner).allMatch(n -> n >= 16);

                Map<String, List<Integer>> perKey = consumed.events().stream().collect(Collectors.groupingBy(
                        Consumed.Event::key, Collectors.mapping(e -> Integer.parseInt(e.value().split(":")[1]),
                                Collectors.toList())));
                assertThat(perKey).hasSize(AGGREGATES);
                perKey.forEach((key, seen) -> {
                    List<Integer> firstSeen = seen.stream().distinct().toList();
                    assertThat(firstSeen).as("order of " + key).isSorted().hasSize(PER_AGGREGATE);
                });
                first.terminate();
                second.terminate();
                assertThat(first.awaitExit(Duration.ofSeconds(15))).as(first.output()).isZero();
                assertThat(second.awaitExit(Duration.ofSeconds(15))).as(second.output()).isZero();
            }
        }
    }
}
