package dev.letterbox.relay.logmode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.logmode.CheckerConfig.LongTransaction;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concurrency checker for readers of the outbox as a log (issue 9, LOG-MODE.md), on a real
 * PostgreSQL: 8 writers lock one of 50 aggregates and insert 1-3 events each (10 % insert without a
 * lock, into an aggregate of their own, as plain-SQL writers do); 30 % take their xid before the
 * lock, 5 % roll back, 1 % stay open 200-800 ms, and a BEFORE INSERT trigger sleeps 0-5 ms on half
 * of the rows after seq was drawn. One reader polls throughout. A reader passes when it read every
 * committed event, none of a rolled-back one, and each aggregate's events in commit order.
 *
 * <p>The checker must have teeth, so three wrong readers (or tables) are cases that pass only when
 * the checker reports them losing events; if a run does not catch one, its case fails:
 * <ul>
 *   <li>{@code seq > cursor} alone: sequences commit out of order, so a transaction that drew seq 10
 *       may commit after one that drew 11 was read, and the cursor is past 10 by then. The same bug
 *       is public history: watermill #311, SQLStreamStore #121, kafka-connect-jdbc #27/#172/#915/#1015,
 *       Marten before V9.16.1.</li>
 *   <li>a horizon bounded by {@code pg_snapshot_xmax}: xmax is one past the latest <em>completed</em>
 *       xid, not the next one, so a younger transaction that drew its seq before the tick can still
 *       be running when every xid below that xmax has ended; the horizon passes its seq and it
 *       commits behind the cursor. The prototype of LOG-MODE.md lost 89-116 events per 30 s so.</li>
 *   <li>the reference reader on a table whose seq default is a plain {@code nextval}: a plain-SQL
 *       writer's INSERT draws seq before its transaction has an xid (the trigger sleeps 0-50 ms in
 *       between), so a tick's next xid can be lower than that transaction's. The prototype lost 1,881
 *       events so. (A writer that locked its aggregate already has an xid: {@code FOR UPDATE} takes one.)</li>
 * </ul>
 * The reference reader ({@link HorizonReader#reference}, the next xid as bound) must pass with no
 * loss and no inversion. The pg_snapshot_xmax trap also has a deterministic case: a lone writer that
 * inserts and keeps its transaction open has the newest xid, so with nothing younger completed every
 * snapshot has {@code xmin = xmax <= its xid} and the horizon passes its seq
 * ({@link CommitHistoryChecker#runLoneSlowWriter}). The relay's own reader runs the same checks on the
 * real schema in {@link RelayLogReaderCheckerIT}.
 *
 * <p>Each case runs 10 s of writes; {@value CheckerConfig#SECONDS_PROPERTY} (seconds),
 * {@value CheckerConfig#SEED_PROPERTY}, {@value CheckerConfig#HOLD_PERCENT_PROPERTY} and
 * {@value CheckerConfig#PLAIN_INSERT_PERCENT_PROPERTY} make longer or other runs, for example
 * {@code -Dletterbox.checker.seconds=120}.
 */
class CommitHistoryCheckerIT {

    private static final Logger LOG = LoggerFactory.getLogger(CommitHistoryCheckerIT.class);

    static Stream<Arguments> wrongReaders() {
        Function<EventTable, Reader> naive = t -> new NaiveCursorReader(t, 500);
        Function<EventTable, Reader> xmax = HorizonReader::snapshotXmax;
        Function<EventTable, Reader> reference = HorizonReader::reference;
        return Stream.of(
                Arguments.of("seq > cursor, no horizon", EventTable.checkerTable(), naive),
                Arguments.of("horizon bounded by pg_snapshot_xmax", EventTable.checkerTable(), xmax),
                Arguments.of("reference reader, but seq drawn before the xid",
                        EventTable.checkerTableDrawingSeqBeforeXid(), reference));
    }

    static Stream<Arguments> correctReaders() {
        Function<EventTable, Reader> reference = HorizonReader::reference;
        return Stream.of(Arguments.of("reference: horizon bounded by the next xid", reference));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongReaders")
    void catchesTheLostEventsOfAWrongReader(String name, EventTable table, Function<EventTable, Reader> reader)
            throws Exception {
        CheckReport report = run(name, table, reader.apply(table), CheckerConfig.ofDefaults());

        assertThat(report.lost()).as("the checker must catch %s losing events: %s", name, report.summary())
                .isPositive();
        assertThat(report.passed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correctReaders")
    void aCorrectReaderReadsEveryCommittedEventOnceInAggregateOrder(String name, Function<EventTable, Reader> reader)
            throws Exception {
        EventTable table = EventTable.checkerTable();
        CheckReport report = run(name, table, reader.apply(table), CheckerConfig.ofDefaults());

        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.rolledBack()).as("the run rolled some transactions back: %s", report.summary()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("horizonReaders")
    void aHorizonReaderWaitsForALoneSlowWriter(String name, Function<EventTable, Reader> reader, boolean loses)
            throws Exception {
        EventTable table = EventTable.checkerTable();
        try (TestDatabase db = PostgresServer.shared().createDatabase("CommitHistoryCheckerIT")) {
            CommitHistoryChecker checker = new CommitHistoryChecker(db::openConnection, table, CheckerConfig.ofDefaults());
            checker.install();

            CheckReport report = checker.runLoneSlowWriter(name, reader.apply(table), Duration.ofSeconds(1));

            assertThat(report.passed()).as(report.summary()).isEqualTo(!loses);
        }
    }

    static Stream<Arguments> horizonReaders() {
        Function<EventTable, Reader> xmax = HorizonReader::snapshotXmax;
        Function<EventTable, Reader> reference = HorizonReader::reference;
        return Stream.of(Arguments.of("horizon bounded by pg_snapshot_xmax: loses the event", xmax, true),
                Arguments.of("reference: horizon bounded by the next xid", reference, false));
    }

    /**
     * The cost LOG-MODE.md designs for: any writing transaction in the cluster holds the horizon
     * back. The reference reader stalls while it is open, loses nothing, and catches up after it.
     */
    @Test
    void theReferenceReaderWaitsBehindALongTransactionAndLosesNothing() throws Exception {
        Duration hold = Duration.ofSeconds(18);
        CheckerConfig config = CheckerConfig.ofDefaults().toBuilder().duration(Duration.ofSeconds(20))
                .longTransaction(new LongTransaction(Duration.ofSeconds(1), hold)).build();
        EventTable table = EventTable.checkerTable();
        HorizonReader reader = HorizonReader.reference(table);

        CheckReport report = run("reference behind a long transaction", table, reader, config);
        LOG.atInfo().addKeyValue("longestStallMs", reader.longestStall().toMillis())
                .addKeyValue("heldMs", hold.toMillis()).log("horizon stuck behind the long transaction");

        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(reader.longestStall()).as("how long the horizon was stuck behind the %s transaction: %s", hold,
                report.summary()).isGreaterThan(hold.minusSeconds(5));
    }

    private static CheckReport run(String name, EventTable table, Reader reader, CheckerConfig config)
            throws Exception {
        try (TestDatabase db = PostgresServer.shared().createDatabase("CommitHistoryCheckerIT")) {
            CommitHistoryChecker checker = new CommitHistoryChecker(db::openConnection, table, config);
            checker.install();
            CheckReport report = checker.run(name, reader);
            assertThat(report.committed()).as("the writers committed events: %s", report.summary()).isPositive();
            return report;
        }
    }
}
