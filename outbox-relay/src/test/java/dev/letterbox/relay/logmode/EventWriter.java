package dev.letterbox.relay.logmode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * One writer of a {@link CommitHistoryChecker} run: until its deadline, transactions that lock a
 * random aggregate ({@code SELECT ... FOR UPDATE} on {@code checker_agg}), insert its next 1-3
 * events, bump its count, and commit, roll back, or stay open a while first, as the
 * {@link CheckerConfig} mixes them; and some plain inserts without a lock, for an aggregate of this
 * writer's own. Records every outcome in the {@link CommitHistory}.
 *
 * <p>Not thread-safe: one instance per writer thread.
 */
final class EventWriter implements Callable<Integer> {

    private final Callable<Connection> connections;
    private final EventTable table;
    private final CheckerConfig config;
    private final CommitHistory history;
    private final Random random;
    private final long deadlineNanos;
    private final String ownAggregate;
    private int ownLast;

    EventWriter(Callable<Connection> connections, EventTable table, CheckerConfig config, CommitHistory history,
            int index, long deadlineNanos) {
        this.connections = connections;
        this.table = table;
        this.config = config;
        this.history = history;
        this.random = new Random(config.seed() * 31 + index);
        this.deadlineNanos = deadlineNanos;
        this.ownAggregate = "w" + index;
    }

    /** Writes until the deadline; returns the number of transactions run. */
    @Override
    public Integer call() throws Exception {
        try (Connection c = connections.call();
             PreparedStatement seed = c.prepareStatement("SELECT setseed(?)");
             PreparedStatement takeXid = c.prepareStatement("SELECT pg_current_xact_id()");
             PreparedStatement lock = c.prepareStatement("SELECT n FROM checker_agg WHERE id = ? FOR UPDATE");
             PreparedStatement insert = c.prepareStatement(table.insertSql());
             PreparedStatement bump = c.prepareStatement("UPDATE checker_agg SET n = ? WHERE id = ?");
             PreparedStatement hold = c.prepareStatement("SELECT pg_sleep(?)")) {
            seed.setDouble(1, random.nextDouble() * 2 - 1); // the trigger's random() on this session
            seed.execute();
            c.setAutoCommit(false);
            int transactions = 0;
            while (System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted()) {
                writeOne(c, takeXid, lock, insert, bump, hold);
                transactions++;
            }
            return transactions;
        }
    }

    private void writeOne(Connection c, PreparedStatement takeXid, PreparedStatement lock, PreparedStatement insert,
            PreparedStatement bump, PreparedStatement hold) throws SQLException {
        if (percent(config.plainInsertPercent())) {
            List<Long> seqs = insertEvents(insert, ownAggregate, ownLast);
            if (finish(c, hold, ownAggregate, seqs, ownLast)) {
                ownLast += seqs.size();
            }
            return;
        }
        String aggregate = "a" + random.nextInt(config.aggregates());
        if (percent(config.earlyXidPercent())) {
            takeXid.execute();
        }
        lock.setString(1, aggregate);
        int last;
        try (ResultSet rs = lock.executeQuery()) {
            rs.next();
            last = rs.getInt(1);
        }
        List<Long> seqs = insertEvents(insert, aggregate, last);
        bump.setInt(1, last + seqs.size());
        bump.setString(2, aggregate);
        bump.executeUpdate();
        finish(c, hold, aggregate, seqs, last);
    }

    private List<Long> insertEvents(PreparedStatement insert, String aggregate, int last) throws SQLException {
        int count = 1 + random.nextInt(3);
        List<Long> seqs = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            table.binder().bind(insert, aggregate, last + i);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    /** Rolls back, or commits after an optional hold; records which; returns whether it committed. */
    private boolean finish(Connection c, PreparedStatement hold, String aggregate, List<Long> seqs, int last)
            throws SQLException {
        if (percent(config.rollbackPercent())) {
            c.rollback();
            history.rolledBack(aggregate, seqs, last + 1);
            return false;
        }
        if (percent(config.holdPercent())) {
            long min = config.holdMin().toMillis();
            long millis = min + (long) (random.nextDouble() * (config.holdMax().toMillis() - min));
            hold.setDouble(1, millis / 1000.0);
            hold.execute();
        }
        c.commit();
        history.committed(aggregate, seqs, last + 1);
        return true;
    }

    private boolean percent(int share) {
        return random.nextInt(100) < share;
    }
}
