package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.internal.PollingHooks;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance suite on PostgreSQL in log mode ({@code relay.polling.mode: log}): the same
 * guarantees as mark mode (delivery, order per aggregate with instances coming and going, kill and
 * freeze, fencing, outages, parking), with "published" read from the shard positions, plus what
 * only log mode does.
 */
class PostgresLogModeRelayIT extends AbstractRelayIT {

    @Override
    protected TestDatabase createDatabase() {
        return PostgresServer.shared().createDatabase("PostgresLogModeRelayIT");
    }

    @Override
    protected String mode() {
        return "log";
    }

    @Test
    void readsEachBatchInOneStatementAndNeverUpdatesAnEventRow() throws Exception {
        String type = aggregateType("logstmt");
        kit.kafka().createTopic("outbox.event." + type, 2);
        for (int batchSize : new int[] {50, 500}) {
            kit.update("DELETE FROM outbox_event");
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(RelayTestKit.event(type, "agg-" + (i % 37), "T", "p" + i));
            }
            kit.append(events);
            CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
            RelayConfig config = kit.config(instance("logstmt")).polling(kit.polling().workers(1)
                    .batchSize(batchSize).leaseTtl(Duration.ofSeconds(2)).idleBackoffMax(Duration.ofMillis(50)).build())
                    .build();
            try (Relay relay = kit.relay(config, counting.dataSource(), PollingHooks.NONE)) {
                relay.start();
                kit.awaitDrained(Duration.ofSeconds(30));
            }
            List<CountingDataSource.Execution> poller = counting.executions().stream()
                    .filter(e -> e.thread.startsWith("outbox-relay-poller")).toList();
            int batches = 1000 / batchSize;
            List<CountingDataSource.Execution> reads = poller.stream()
                    .filter(e -> e.sql.contains("LATERAL") && e.rows.get() > 1).toList();
            assertThat(reads).as("reads that returned rows, batches of %d", batchSize).hasSize(batches);
            assertThat(poller.stream().filter(e -> e.sql.matches("(?s)\\s*(UPDATE|DELETE|INSERT)\\b.*")
                    && e.sql.contains("outbox_event")))
                    .as("statements that change event rows").isEmpty();
            assertThat(poller.stream().filter(e -> e.sql.contains("position") && e.sql.startsWith("UPDATE")).count())
                    .as("position stores: at most one per batch, plus the first positions and the last")
                    .isLessThanOrEqualTo(batches + 2);
            assertThat(kit.longQuery("SELECT count(*) FROM outbox_event WHERE status <> 'PENDING'")).isZero();
        }
    }
}
