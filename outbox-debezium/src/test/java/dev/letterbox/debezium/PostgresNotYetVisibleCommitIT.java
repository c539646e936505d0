package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A row handed to logical decoding before other sessions can see it, on a real server: a private
 * PostgreSQL whose {@code synchronous_standby_names} names a standby that never connects. A writer
 * with {@code synchronous_commit = on} commits: the commit is flushed to WAL (so the relay streams
 * and publishes the event) but the row stays invisible while the commit waits for the standby.
 * Cancelling the wait makes the row visible ("committed locally"). Every other session runs with
 * {@code synchronous_commit = local} and does not wait.
 */
class PostgresNotYetVisibleCommitIT {

    /**
     * Regression (issue 10, item 1): the relay published the event, its mark matched no row, the
     * count was ignored and the row stayed PENDING for good (the offset moved past it).
     */
    @Test
    void marksARowPublishedBeforeItsCommitBecameVisible() throws Exception {
        Path dir = Files.createTempDirectory("letterbox-pg-syncrep");
        try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(dir, 0)) {
            try (Connection admin = DriverManager.getConnection(pg.adminJdbcUrl(), pg.username(), pg.password());
                 Statement s = admin.createStatement()) {
                s.execute("ALTER SYSTEM SET synchronous_standby_names = 'letterbox_standby_that_never_answers'");
                s.execute("ALTER SYSTEM SET synchronous_commit = 'local'");
                s.execute("SELECT pg_reload_conf()");
            }
            try (CdcFixture f = new CdcFixture(pg.createDatabase("not_yet_visible"))) {
                f.startRelay("cdc-a", WriteMode.TABLE);
                await().atMost(AbstractCdcIT.ARRIVAL).until(() -> f.registry.find("outbox.cdc.active").gauges().stream()
                        .anyMatch(g -> g.value() == 1.0));
                f.awaitEngineReady();

                OutboxEvent event = f.event("o-1", 0);
                Connection writer = f.db.openConnection();
                long writerPid;
                try (Statement s = writer.createStatement()) {
                    s.execute("SET synchronous_commit = on");
                }
                try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    writerPid = rs.getLong(1);
                }
                writer.setAutoCommit(false);
                f.outbox(WriteMode.TABLE).append(writer, event);
                CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                    try {
                        writer.commit(); // waits for the standby that never answers
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                String id = event.id().toString();
                String visible = "SELECT count(*) FROM outbox_event WHERE id = '" + id + "'";

                await().atMost(AbstractCdcIT.ARRIVAL).until(() -> f.receivedIds().contains(id));
                // the relay published it and marked it (or tried) while the row stays invisible
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> f.count(visible) == 0);
                assertThat(commit).isNotDone();

                try (Connection admin = f.db.openConnection(); Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_cancel_backend(" + writerPid + ")");
                }
                commit.get(30, TimeUnit.SECONDS); // "canceling wait for synchronous replication", committed locally
                writer.close();
                assertThat(f.count(visible)).isEqualTo(1);

                await().atMost(AbstractCdcIT.ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE id = '"
                        + id + "' AND status = 'PUBLISHED'") == 1);
                assertThat(f.receivedIds()).containsExactly(id);
                List<OutboxEvent> after = f.append(WriteMode.TABLE, f.events("o-1", 1, 2));
                await().atMost(AbstractCdcIT.ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event"
                        + " WHERE status = 'PUBLISHED'") == 1 + after.size());
            }
        }
    }
}
