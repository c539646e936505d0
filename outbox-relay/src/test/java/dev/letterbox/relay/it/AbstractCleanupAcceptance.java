package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.letterbox.relay.CleanupConfig;
import dev.letterbox.relay.InboxPurgeConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.internal.PollingHooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cleanup part of the acceptance suite: published rows past the retention and old inbox
 * entries are deleted in statements of at most the batch size, by the one instance that holds the
 * cleanup lease; rows that are not PUBLISHED are never deleted, whatever their age; deletes are
 * counted in {@code outbox.cleanup.deleted}.
 */
abstract class AbstractCleanupAcceptance extends AbstractDatabaseOutageAcceptance {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BATCH = 10;
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration OLD = Duration.ofHours(2);

    /** One instance taking part in cleanup, with what it executed and counted. */
    private record Instance(String id, CountingDataSource statements, MeterRegistry registry, Relay relay) {

        List<CountingDataSource.Execution> deletes() {
            return statements.executions().stream().filter(e -> e.thread.equals("outbox-relay-cleanup"))
                    .filter(e -> e.sql.stripLeading().toUpperCase().startsWith("DELETE")).toList();
        }

        double deleted(String table) {
            return registry.get("outbox.cleanup.deleted").tag("table", table).counter().count();
        }
    }

    private Instance instanceForCleanup(String hint) {
        RelayConfig config = kit.config(instance(hint))
                .cleanup(CleanupConfig.builder().retention(RETENTION).batchSize(BATCH).pause(Duration.ofMillis(20))
                        .interval(Duration.ofSeconds(1)).build())
                .inboxPurge(InboxPurgeConfig.enabled(Duration.ofDays(1)))
                .build();
        CountingDataSource counting = new CountingDataSource(kit.db().dataSource());
        MeterRegistry registry = new SimpleMeterRegistry();
        return new Instance(config.instanceId(), counting, registry,
                kit.relay(config, counting.dataSource(), PollingHooks.NONE, registry));
    }

    @Test
    void deletesRowsBehindEveryPositionPastRetentionInBoundedBatchesOnOneInstance() throws Exception {
        assumeTrue("log".equals(kit.mode()), "log mode's cleanup");
        String type = aggregateType("clean-log");
        kit.kafka().createTopic("outbox.event." + type, 1);
        insertEvents(type, 95, "PENDING", "NULL", "NULL");
        kit.append(java.util.stream.IntStream.range(0, 10).mapToObj(i -> RelayTestKit.event(type, "young-" + i, "T", "y"))
                .toList());
        Instance a = instanceForCleanup("clean-log-a");
        Instance b = instanceForCleanup("clean-log-b");
        try {
            a.relay().start();
            b.relay().start();
            // published (behind the positions) and created before the retention: deleted; the young ones stay
            await().atMost(WAIT).until(() -> kit.longQuery("SELECT count(*) FROM outbox_event") == 10
                    && kit.count("PUBLISHED") == 10);
            Instance holder = a.deletes().isEmpty() ? b : a;
            Instance other = holder == a ? b : a;
            assertThat(other.deletes()).as("deletes by the instance without the cleanup lease").isEmpty();
            assertThat(holder.deletes()).allSatisfy(d -> assertThat(d.rows.get()).isLessThanOrEqualTo(BATCH));
            // the counter follows the statement that deleted the last rows
            await().atMost(WAIT).until(() -> holder.deleted("event") == 95.0);
            assertThat(kit.longQuery("SELECT count(*) FROM outbox_event WHERE status <> 'PENDING'")).as(
                    "rows updated in log mode").isZero();
        } finally {
            a.relay().close();
            b.relay().close();
        }
    }

    @Test
    void deletesOnlyOldPublishedRowsInBoundedBatchesOnOneInstanceAtATime() throws Exception {
        assumeTrue("mark".equals(kit.mode()), "mark mode's cleanup; log mode publishes the PENDING rows it inserts");
        String type = aggregateType("clean");
        insertEvents(type, 95, "PUBLISHED", kit.ago(OLD), "NULL");
        insertEvents(type, 10, "PUBLISHED", kit.now(), "NULL");
        // replayed (made PENDING again, published_at kept) and due only tomorrow, so no poller takes them
        insertEvents(type, 10, "PENDING", kit.ago(OLD), kit.fromNow(Duration.ofDays(1)));
        insertEvents(type, 10, "PARKED", kit.ago(OLD), "NULL");
        insertInbox(30, kit.ago(Duration.ofDays(30)));
        insertInbox(5, kit.now());

        Instance a = instanceForCleanup("clean-a");
        Instance b = instanceForCleanup("clean-b");
        try {
            a.relay().start();
            b.relay().start();
            await().atMost(WAIT).until(() -> oldPublished() == 0 && inbox() == 5);

            assertThat(kit.statusCounts()).containsEntry("PUBLISHED", 10L).containsEntry("PENDING", 10L)
                    .containsEntry("PARKED", 10L);
            Instance holder = a.deletes().isEmpty() ? b : a;
            Instance other = holder == a ? b : a;
            assertThat(kit.liveOwner("cleanup")).isEqualTo(holder.id());
            assertThat(other.deletes()).as("deletes by the instance without the cleanup lease").isEmpty();
            assertThat(holder.deletes()).allSatisfy(d -> assertThat(d.rows.get()).as("rows of %s", d)
                    .isLessThanOrEqualTo(BATCH));
            assertThat(holder.deletes().stream().filter(d -> d.sql.contains("outbox_event") && d.rows.get() > 0))
                    .as("event delete statements for 95 rows in batches of %d", BATCH).hasSize(10);
            assertThat(holder.deleted("event")).isEqualTo(95.0);
            assertThat(holder.deleted("inbox")).isEqualTo(30.0);
            assertThat(other.deleted("event") + other.deleted("inbox")).isZero();

            // the holder stops: the other takes the lease over and cleans what became old since
            holder.relay().close();
            insertEvents(type, 25, "PUBLISHED", kit.ago(OLD), "NULL");
            await().atMost(WAIT).until(() -> oldPublished() == 0);
            assertThat(kit.liveOwner("cleanup")).isEqualTo(other.id());
            assertThat(other.deleted("event")).isEqualTo(25.0);
            assertThat(other.deletes()).isNotEmpty().allSatisfy(d -> assertThat(d.rows.get()).isLessThanOrEqualTo(BATCH));
            assertThat(kit.statusCounts()).containsEntry("PUBLISHED", 10L).containsEntry("PENDING", 10L)
                    .containsEntry("PARKED", 10L);
        } finally {
            a.relay().close();
            b.relay().close();
        }
    }

    @Test
    void findsOldPublishedRowsThroughTheIndexNotByReadingTheTable() throws Exception {
        String type = aggregateType("clean-plan");
        insertEvents(type, 30, "PUBLISHED", kit.ago(OLD), "NULL");
        Instance a = instanceForCleanup("clean-plan");
        try {
            a.relay().start();
            await().atMost(WAIT).until(() -> oldPublished() == 0);
        } finally {
            a.relay().close();
        }
        String delete = a.deletes().stream().map(d -> d.sql).filter(sql -> sql.contains("outbox_event")).findFirst()
                .orElseThrow();
        // regression: the search had no index, so every cleanup run read the whole table, 2.9 to 14 s
        // at 10M rows even with nothing old enough to delete
        assertThat(kit.explain(delete, RETENTION.toMillis(), BATCH)).as("plan of %s", delete)
                .contains("outbox_event_published_idx");
    }

    private long oldPublished() throws SQLException {
        return kit.longQuery("SELECT count(*) FROM outbox_event WHERE status = 'PUBLISHED' AND published_at < "
                + kit.ago(RETENTION));
    }

    private long inbox() throws SQLException {
        return kit.longQuery("SELECT count(*) FROM outbox_inbox");
    }

    private void insertEvents(String type, int n, String status, String publishedAt, String nextAttemptAt)
            throws SQLException {
        for (int i = 0; i < n; i++) {
            kit.update("INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload, status, created_at,"
                    + " published_at, next_attempt_at) VALUES (?, ?, 'T', ?, ?, " + kit.ago(OLD.plusHours(1)) + ", "
                    + publishedAt + ", " + nextAttemptAt + ")", type, status.toLowerCase() + "-" + i,
                    new byte[] {1}, status);
        }
    }

    private void insertInbox(int n, String processedAt) throws SQLException {
        for (int i = 0; i < n; i++) {
            kit.update("INSERT INTO outbox_inbox (consumer, event_id, processed_at) VALUES ('shipping', ?, "
                    + processedAt + ")", UUID.randomUUID().toString());
        }
    }
}
