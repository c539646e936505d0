package dev.letterbox.relay.logmode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@link Reader} of the outbox as a log against concurrent writers on a real PostgreSQL:
 * writers commit, roll back and hold transactions while one reader thread polls; afterwards every
 * committed event must have been read, no rolled-back one, and each aggregate's events in order.
 *
 * <pre>{@code
 * CommitHistoryChecker checker = new CommitHistoryChecker(db::openConnection, EventTable.checkerTable(),
 *         CheckerConfig.ofDefaults());
 * checker.install();
 * CheckReport report = checker.run("reference", HorizonReader.reference(EventTable.checkerTable()));
 * }</pre>
 *
 * <p>{@link #install()} creates, next to the event table, the checker's tables {@code checker_agg}
 * (the aggregates' locks and counts) and {@code checker_unrelated} (for the long transaction) and a
 * BEFORE INSERT trigger on the event table that sleeps after seq was drawn, widening the window in
 * which a lower seq is still uncommitted.
 *
 * <p>Not thread-safe: one run at a time; each run starts and ends its own threads.
 */
public final class CommitHistoryChecker {

    private static final Logger LOG = LoggerFactory.getLogger(CommitHistoryChecker.class);

    private final Callable<Connection> connections;
    private final EventTable table;
    private final CheckerConfig config;

    /**
     * Creates a checker; nothing runs until {@link #install()} and {@link #run}.
     *
     * @param connections opens a new connection to the database for each writer and the reader; the checker closes them
     * @param table the table the writers insert into
     * @param config the workload
     */
    public CommitHistoryChecker(Callable<Connection> connections, EventTable table, CheckerConfig config) {
        this.connections = connections;
        this.table = table;
        this.config = config;
    }

    /** Creates the event table (if it has create statements), the checker's tables and the slow trigger. */
    public void install() throws Exception {
        double sleepSeconds = config.slowInsertMax().toNanos() / 1e9;
        double withoutXidSeconds = config.slowInsertWithoutXidMax().toNanos() / 1e9;
        double share = config.slowInsertPercent() / 100.0;
        try (Connection c = connections.call(); Statement s = c.createStatement()) {
            for (String ddl : table.createStatements()) {
                s.execute(ddl);
            }
            s.execute("CREATE TABLE checker_agg (id text PRIMARY KEY, n int NOT NULL)");
            s.execute("INSERT INTO checker_agg SELECT 'a' || g, 0 FROM generate_series(0, " + (config.aggregates() - 1)
                    + ") g");
            s.execute("CREATE TABLE checker_unrelated (id bigint PRIMARY KEY, at timestamptz NOT NULL)");
            s.execute("CREATE FUNCTION checker_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF pg_current_xact_id_if_assigned() IS NULL THEN PERFORM pg_sleep(random() * " + withoutXidSeconds + ");"
                    + " ELSIF random() < " + share + " THEN PERFORM pg_sleep(random() * " + sleepSeconds + ");"
                    + " END IF;"
                    + " RETURN NEW; END $$");
            s.execute("CREATE TRIGGER checker_slow_insert BEFORE INSERT ON " + table.name()
                    + " FOR EACH ROW EXECUTE FUNCTION checker_slow_insert()");
        }
    }

    /**
     * Runs the writers for the configured duration with {@code reader} polling throughout, lets the
     * reader drain, and compares what it read with what committed.
     *
     * @param name the reader's name in the report and logs
     * @param reader the reader, fresh (its cursor at the table's start)
     * @return the comparison; the caller asserts on it
     * @throws Exception if a writer, the reader or the long transaction failed (a failed run checks nothing)
     */
    public CheckReport run(String name, Reader reader) throws Exception {
        CommitHistory history = new CommitHistory();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(config.writers() + 1, r -> {
            Thread t = new Thread(r, "checker-" + threadNumber.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        try (Connection readerConnection = connections.call()) {
            readerConnection.setAutoCommit(true);
            long start = System.nanoTime();
            long deadline = start + config.duration().toNanos();
            List<Future<Integer>> writers = new ArrayList<>();
            for (int i = 0; i < config.writers(); i++) {
                writers.add(threads.submit(new EventWriter(connections, table, config, history, i, deadline)));
            }
            Future<Duration> longTransaction = config.longTransaction() == null ? null
                    : threads.submit(() -> holdLongTransaction(start));
            ReaderLoop loop = new ReaderLoop(reader, readerConnection);
            loop.pollUntil(() -> writers.stream().allMatch(Future::isDone)
                    && (longTransaction == null || longTransaction.isDone()));
            long writersEnd = System.nanoTime();
            int transactions = 0;
            for (Future<Integer> writer : writers) {
                transactions += get(writer);
            }
            if (longTransaction != null) {
                LOG.atInfo().addKeyValue("reader", name).addKeyValue("heldMs", get(longTransaction).toMillis())
                        .log("long transaction ended");
            }
            loop.drain(history.committed().keySet(), writersEnd);
            CheckReport report = CheckReport.of(name, reader.atLeastOnce(), history.committed(), history.rolledBack(),
                    loop.reads, Duration.ofNanos(writersEnd - start), Duration.ofNanos(System.nanoTime() - writersEnd),
                    loop.polls);
            Map<String, List<Integer>> gaps = history.aggregatesWithGaps();
            if (!gaps.isEmpty()) {
                throw new IllegalStateException("the writers did not serialise each aggregate (numbers not 1..k): "
                        + gaps + "; the checker itself is broken, its report means nothing: " + report.summary());
            }
            LOG.atInfo().addKeyValue("reader", name).addKeyValue("transactions", transactions)
                    .addKeyValue("report", report.summary()).log("checked reader");
            return report;
        } finally {
            threads.shutdownNow();
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.atWarn().log("checker threads still running 30 s after the run");
            }
        }
    }

    /**
     * Runs one writer alone, slowly: it inserts one event and keeps its transaction open while the
     * reader polls for {@code openFor}, then commits; the reader then polls until it has
     * read the event or the drain ends. Deterministic where the concurrent run is statistical: with
     * no other transaction in the cluster, the open one has the newest xid and nothing younger has
     * completed, so every snapshot's {@code xmax} is at or below its xid and its {@code xip} is empty
     * ({@code xmin = xmax}): a reader that takes {@code pg_snapshot_xmax} for "every transaction below
     * has ended" passes its seq while it is still open.
     *
     * @param name the reader's name in the report and logs
     * @param reader the reader, fresh
     * @param openFor how long the transaction stays open while the reader polls (long enough for a
     *         background transaction of the server, such as an autovacuum ANALYZE, to end)
     * @return the comparison: one committed event, lost or not
     * @throws Exception if a statement fails
     */
    public CheckReport runLoneSlowWriter(String name, Reader reader, Duration openFor) throws Exception {
        CommitHistory history = new CommitHistory();
        try (Connection readerConnection = connections.call(); Connection writer = connections.call();
             PreparedStatement insert = writer.prepareStatement(table.insertSql())) {
            readerConnection.setAutoCommit(true);
            long start = System.nanoTime();
            ReaderLoop loop = new ReaderLoop(reader, readerConnection);
            for (int i = 0; i < 3; i++) {
                loop.pollOnce(); // ticks of an empty table
            }
            writer.setAutoCommit(false);
            table.binder().bind(insert, "lone", 1);
            long seq;
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            long commitAt = System.nanoTime() + openFor.toNanos();
            loop.pollUntil(() -> System.nanoTime() >= commitAt);
            writer.commit();
            history.committed("lone", List.of(seq), 1);
            long writersEnd = System.nanoTime();
            loop.drain(Set.of(seq), writersEnd);
            CheckReport report = CheckReport.of(name, reader.atLeastOnce(), history.committed(), history.rolledBack(),
                    loop.reads, Duration.ofNanos(writersEnd - start), Duration.ofNanos(System.nanoTime() - writersEnd),
                    loop.polls);
            LOG.atInfo().addKeyValue("reader", name).addKeyValue("report", report.summary())
                    .log("checked reader behind a lone slow writer");
            return report;
        }
    }

    private Duration holdLongTransaction(long start) throws Exception {
        LockSupport.parkNanos(Math.max(0, start + config.longTransaction().after().toNanos() - System.nanoTime()));
        try (Connection c = connections.call(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long began = System.nanoTime();
            s.execute("INSERT INTO checker_unrelated VALUES (1, now())");
            s.execute("SELECT pg_sleep(" + config.longTransaction().hold().toNanos() / 1e9 + ")");
            c.commit();
            return Duration.ofNanos(System.nanoTime() - began);
        }
    }

    private static <T> T get(Future<T> future) throws Exception {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("a checker thread did not end 60 s after its deadline", e);
        }
    }

    /** The reader's polling loop, on the calling thread. */
    private final class ReaderLoop {

        private final Reader reader;
        private final Connection connection;
        private final List<ReadEvent> reads = new ArrayList<>();
        private final Set<Long> seen = new HashSet<>();
        private long polls;
        private long lastNewRead = System.nanoTime();

        ReaderLoop(Reader reader, Connection connection) {
            this.reader = reader;
            this.connection = connection;
        }

        void pollUntil(BooleanSupplier done) throws SQLException {
            while (!done.getAsBoolean()) {
                pollOnce();
            }
        }

        /**
         * Polls until every committed event was read; or nothing new was read for the quiet period
         * while no transaction in the cluster holds an xid (no horizon can move any more); or the
         * longest drain passed.
         */
        void drain(Set<Long> committed, long writersEnd) throws SQLException {
            Set<Long> missing = new HashSet<>(committed);
            missing.removeAll(seen);
            long max = writersEnd + config.drainMax().toNanos();
            while (!missing.isEmpty() && System.nanoTime() < max) {
                for (ReadEvent event : pollOnce()) {
                    missing.remove(event.seq());
                }
                long quietSince = Math.max(lastNewRead, writersEnd);
                if (System.nanoTime() - quietSince >= config.drainQuiet().toNanos() && !anyTransactionHoldsAnXid()) {
                    return;
                }
            }
        }

        private List<ReadEvent> pollOnce() throws SQLException {
            List<ReadEvent> batch = reader.poll(connection);
            polls++;
            reads.addAll(batch);
            boolean anyNew = false;
            for (ReadEvent event : batch) {
                anyNew |= seen.add(event.seq());
            }
            if (anyNew) {
                lastNewRead = System.nanoTime();
            }
            if (batch.isEmpty()) {
                LockSupport.parkNanos(config.pollInterval().toNanos());
            }
            return batch;
        }

        private boolean anyTransactionHoldsAnXid() throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_stat_activity"
                         + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
                         + " + (SELECT count(*) FROM pg_prepared_xacts)")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
