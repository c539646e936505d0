package dev.letterbox.relay.logmode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.internal.LogReaderCheckerAdapter;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's own log-mode reader under the concurrency checker of {@link CommitHistoryCheckerIT},
 * on the real schema (version 4, {@link OutboxSchema#migrate}): the writers insert EventRouter
 * columns only, with the event's number within its aggregate in {@code type}.
 */
class RelayLogReaderCheckerIT {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLogReaderCheckerIT.class);

    private TestDatabase db;
    private CommitHistoryChecker checker;
    private LogReaderCheckerAdapter reader;

    /** The real table: plain-SQL writers insert four EventRouter columns; seq, id and shard are defaults. */
    static EventTable outboxEvent() {
        return new EventTable("outbox_event", "outbox_event_seq", "seq", "aggregateid", "type::int",
                "INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload)"
                        + " VALUES ('checker', ?, ?, convert_to(repeat('x', 200), 'UTF8')) RETURNING seq",
                (insert, aggregate, n) -> {
                    insert.setString(1, aggregate);
                    insert.setString(2, Integer.toString(n));
                },
                List.of());
    }

    @BeforeEach
    void migrateAndInstall() throws Exception {
        db = PostgresServer.shared().createDatabase("RelayLogReaderCheckerIT");
        OutboxSchema.of(OutboxTables.ofDefaults()).migrate(db.dataSource());
        checker = new CommitHistoryChecker(db::openConnection, outboxEvent(), CheckerConfig.ofDefaults());
        checker.install();
        reader = new LogReaderCheckerAdapter(db.dataSource(), Duration.ofMillis(500), 500);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void theRelaysReaderReadsEveryCommittedEventInAggregateOrder() throws Exception {
        CheckReport report = checker.run("relay LogReader", reader);
        LOG.atInfo().addKeyValue("stall", reader.stall()).log("relay reader after the run");

        assertThat(report.passed()).as(report.summary()).isTrue();
    }

    /**
     * Regression (issue 9, found by this checker): LogReader's ticks pair {@code L} with
     * {@code pg_snapshot_xmax} of a later statement, as if every transaction below it had ended. A lone
     * writer that inserts and then works before its commit has the newest xid and nothing younger
     * completes, so the snapshots' {@code xmax} is at or below its xid, {@code xip} is empty, the horizon
     * passes its seq while it is open, and its event is never read.
     */
    @Test
    void theRelaysReaderWaitsForALoneSlowWriter() throws Exception {
        CheckReport report = checker.runLoneSlowWriter("relay LogReader", reader, Duration.ofSeconds(1));

        assertThat(report.passed()).as(report.summary()).isTrue();
    }

    /**
     * An event committed before a read goes out in that very read when no transaction runs at the
     * read's snapshot: the read's first statement takes the sequence's value before the snapshot.
     * Before, a read could only pair the value its previous statement saw with its own next xid, so
     * the event went out one read later (with {@code read-interval}, one interval later). The cluster
     * is shared with other tests, whose transactions hold the horizon back, so the scenario runs up to
     * five times and must succeed once; the old read never did.
     */
    @Test
    void aReadReturnsAnEventCommittedJustBeforeItWhenNoTransactionRuns() throws Exception {
        int inTheFirstRead = 0;
        try (Connection c = db.openConnection()) {
            c.setAutoCommit(true);
            reader.poll(c);
            for (int attempt = 0; attempt < 5 && inTheFirstRead == 0; attempt++) {
                String aggregate = "fresh-" + attempt;
                try (PreparedStatement insert = c.prepareStatement(outboxEvent().insertSql())) {
                    insert.setString(1, aggregate);
                    insert.setString(2, "1");
                    insert.execute();
                }
                int reads = 0;
                boolean seen = false;
                while (!seen && reads < 1_000) {
                    reads++;
                    seen = reader.poll(c).stream().anyMatch(e -> e.aggregate().equals(aggregate));
                }
                assertThat(seen).as("event %s read within 1,000 reads", aggregate).isTrue();
                LOG.atInfo().addKeyValue("attempt", attempt).addKeyValue("reads", reads).log("committed event read");
                if (reads == 1) {
                    inTheFirstRead++;
                }
            }
        }
        assertThat(inTheFirstRead).as("attempts whose event went out in the first read after its commit").isPositive();
    }
}
