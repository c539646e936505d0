package dev.letterbox.relay.logmode;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads in seq order up to a horizon below which no transaction can still commit a row
 * ("seq behind a horizon", LOG-MODE.md), with the transaction-id bound of its ticks chosen by
 * {@link Bound}: {@link #reference} is the correct reader, {@link #snapshotXmax} the wrong one.
 *
 * <p>A tick {@code k} is {@code L_k}, the sequence's {@code last_value}, then, in a later statement,
 * {@code N_k}, a transaction-id bound. Each poll runs one statement that computes
 * {@code H = max{L_k : N_k <= pg_snapshot_xmin(pg_current_snapshot())}} and scans
 * {@code cursor < seq <= H} under the same snapshot (it also reads the next {@code L}); then one
 * statement takes that tick's {@code N}. With {@code N_k} the next xid the bound is safe: a row with
 * {@code seq <= L_k} had its xid before {@code L_k} was read (the column default takes the xid before
 * {@code nextval}), so {@code xid < N_k <= xmin}: its transaction ended before the snapshot, and the row is
 * visible if it committed. When a batch is not full the cursor moves to {@code H}, as a relay's
 * position does (past rolled-back seqs too).
 *
 * <p>Not thread-safe (a {@link Reader} is polled by one thread).
 */
final class HorizonReader implements Reader {

    /** The transaction-id bound {@code N_k} of a tick. */
    enum Bound {
        /** The next xid: {@code pg_current_xact_id()} in its own auto-committed statement. Safe. */
        NEXT_XID("SELECT pg_current_xact_id()::text::bigint"),
        /**
         * The xmax of a snapshot taken after {@code L_k}: one past the latest completed xid, not the
         * next one, so a transaction with a higher xid that drew its seq before {@code L_k} may still
         * be running when every xid below the xmax has ended. Loses events.
         */
        SNAPSHOT_XMAX("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint");

        private final String sql;

        Bound(String sql) {
            this.sql = sql;
        }
    }

    /** Pending ticks kept at most; when a long transaction holds the horizon, the newest is replaced. */
    private static final int MAX_TICKS = 64;

    private final String readSql;
    private final Bound bound;
    private final int batchSize;
    private final Deque<long[]> ticks = new ArrayDeque<>(); // {L, N}, oldest first
    private long cursor;
    private long horizon;
    private long lastL;
    private long stallStart = System.nanoTime();
    private long longestStall;

    private HorizonReader(EventTable table, Bound bound, int batchSize) {
        this.bound = bound;
        this.batchSize = batchSize;
        String seq = table.seqColumn();
        this.readSql = "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin),"
                + " h AS (SELECT greatest(?::bigint, (SELECT max(t.l) FROM unnest(?::bigint[], ?::bigint[]) AS t(l, nx)"
                + " WHERE t.nx <= s.xmin)) AS horizon, s.xmin FROM s)"
                + " SELECT h.horizon, h.xmin, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                + table.sequence() + ") AS last, e.* FROM h LEFT JOIN LATERAL ("
                + table.selectEvents() + " WHERE " + seq + " > ? AND " + seq + " <= h.horizon ORDER BY " + seq
                + " LIMIT " + batchSize + ") e ON true ORDER BY 4";
    }

    /** The correct reader: ticks bounded by the next xid. */
    static HorizonReader reference(EventTable table) {
        return new HorizonReader(table, Bound.NEXT_XID, 500);
    }

    /** A deliberately wrong reader: ticks bounded by a snapshot's xmax, as the prototype first did. */
    static HorizonReader snapshotXmax(EventTable table) {
        return new HorizonReader(table, Bound.SNAPSHOT_XMAX, 500);
    }

    @Override
    public List<ReadEvent> poll(Connection connection) throws SQLException {
        List<ReadEvent> events = new ArrayList<>(batchSize);
        long xmin;
        long newHorizon;
        long l;
        try (PreparedStatement read = connection.prepareStatement(readSql)) {
            Long[] ls = ticks.stream().map(t -> t[0]).toArray(Long[]::new);
            Long[] ns = ticks.stream().map(t -> t[1]).toArray(Long[]::new);
            Array lArray = connection.createArrayOf("bigint", ls);
            Array nArray = connection.createArrayOf("bigint", ns);
            read.setLong(1, horizon);
            read.setArray(2, lArray);
            read.setArray(3, nArray);
            read.setLong(4, cursor);
            try (ResultSet rs = read.executeQuery()) {
                rs.next(); // one row at least: the LEFT JOIN keeps h when no event is in range
                newHorizon = rs.getLong(1);
                xmin = rs.getLong(2);
                l = rs.getLong(3);
                do {
                    long seq = rs.getLong(4);
                    if (!rs.wasNull()) {
                        events.add(new ReadEvent(seq, rs.getString(5), rs.getInt(6)));
                    }
                } while (rs.next());
            }
            lArray.free();
            nArray.free();
        }
        ticks.removeIf(t -> t[1] <= xmin); // all counted in newHorizon
        if (l > Math.max(newHorizon, ticks.isEmpty() ? 0 : ticks.peekLast()[0])) {
            // a tick only when something was drawn past the horizon and the newest pending tick
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(bound.sql)) {
                rs.next();
                addTick(l, rs.getLong(1));
            }
        }
        trackStall(newHorizon, l);
        horizon = newHorizon;
        // a full batch stops at its last row; otherwise every seq up to the horizon is settled, so the
        // cursor moves to it (past rolled-back seqs too), as a relay's position does
        cursor = events.size() == batchSize ? events.get(events.size() - 1).seq() : Math.max(cursor, newHorizon);
        return events;
    }

    /**
     * Returns the longest time the horizon stood still while the sequence had moved past it: how
     * long a reader waited for a transaction that held the horizon back.
     */
    Duration longestStall() {
        return Duration.ofNanos(longestStall);
    }

    /** Returns the current horizon: every seq at or below it is committed or will never be. */
    long horizon() {
        return horizon;
    }

    private void addTick(long l, long n) {
        if (ticks.size() >= MAX_TICKS) {
            ticks.pollLast(); // dropping a pending tick only delays the horizon
        }
        ticks.addLast(new long[] {l, n});
    }

    private void trackStall(long newHorizon, long l) {
        long now = System.nanoTime();
        lastL = Math.max(lastL, l);
        if (newHorizon > horizon || newHorizon >= lastL) {
            stallStart = now;
        } else {
            longestStall = Math.max(longestStall, now - stallStart);
        }
    }
}
