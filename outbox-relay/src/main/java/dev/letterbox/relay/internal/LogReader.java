package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.Lease;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Log mode's reader (PostgreSQL): reads one poller's shards as a log, in seq order, without ever
 * updating an event row. Thread-confined: one poller uses it, handing it to its claimer thread and
 * back through futures.
 *
 * <h2>The horizon</h2>
 * Writers draw {@code seq} only after their transaction has an xid (schema version 4). Each read
 * statement returns the sequence's last value {@code L}; paired with the xid horizon
 * (the next xid to be assigned) read in a later statement it makes a tick {@code (L, N)}: every row with
 * {@code seq <= L} belongs to a transaction whose xid is below {@code N}. In a statement whose
 * snapshot has {@code xmin >= N}, every such transaction has ended, so the rows up to
 * {@code H = max{L : N <= xmin}} are settled: visible if committed, never there otherwise. The
 * horizon and the row scan are one statement (one snapshot). A read is sent with a first statement
 * ({@link #FRESH_TICK}) that takes {@code L} just before the read's snapshot, which the read pairs
 * with its own {@code N}: with no transaction running at its snapshot, a read publishes what was
 * committed before it.
 *
 * <h2>Long transactions</h2>
 * Any writing transaction in the cluster holds {@code xmin}, and so {@code H}, back. Transactions
 * that were already running {@code stallThreshold} ago are <em>blockers</em>: the reader computes
 * a second horizon {@code H'} from the oldest transaction that is not a blocker and reads up to it.
 * A row up to {@code H'} that it cannot see can only belong to a blocker, so the reader remembers
 * the blockers' xids and, in the first statement whose snapshot shows one of them ended, re-reads
 * the range between the safe position and its read cursor (the rows found there go first, so an
 * aggregate's order holds). Rows published above {@code H} are remembered until the safe
 * position passes them, so the re-read skips them. After a crash they are sent again (at least
 * once). While blockers exist, {@link #stall()} says since when and which xids.
 *
 * <h2>Positions</h2>
 * Per shard: {@code read} (everything up to it was read, except blockers' rows) and {@code pos}
 * (every row up to it was read; only rows above it can still appear). A batch's rows are published
 * first; {@link #acked} then makes the batch's positions flushable, {@link #rewind} moves the
 * cursors back before rows that must be read again.
 */
final class LogReader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogReader.class);

    /** The most ticks kept; older ones are thinned out (the horizon then advances in coarser steps). */
    private static final int MAX_TICKS = 256;
    /** The most seqs remembered as published above the horizon; beyond it the reader waits for the horizon. */
    static final int MAX_AHEAD = 1_000_000;
    /** Sequence values drawn since the read statement was planned that make it planned again. */
    static final long REPLAN_ROWS = 1_000;
    /** The least time between two new plans of the read statement. */
    static final Duration REPLAN_EVERY = Duration.ofSeconds(1);

    private final Db db;
    private final String eventTable;
    private final String sequence;
    private final boolean holdParked;
    private final long stallThresholdNanos;
    private final LongSupplier nanoTime;
    private final Map<Integer, ShardCursor> shards = new HashMap<>();
    private final Deque<Tick> ticks = new ArrayDeque<>();
    /** Seqs published above {@code pos} (ahead of the strict horizon), to skip when read again. */
    private final NavigableSet<Long> ahead = new TreeSet<>();
    /** Blocker xids whose rows may lie behind the read cursor. */
    private Set<Long> blockers = new HashSet<>();
    private Long lastValue;
    private boolean rescanPending;
    private long horizon;
    private String sql;
    /** The sequence's value and the time when the read statement's text last changed (a new plan). */
    private long planValue = -1;
    private long planNanos;
    private int planEpoch;

    /** One shard's cursors and the lease they belong to. */
    static final class ShardCursor {
        final Lease lease;
        long pos;
        long read;
        /** The position up to which published rows were acknowledged: what may be stored. */
        long acked;

        ShardCursor(Lease lease, long pos) {
            this.lease = lease;
            this.pos = pos;
            this.read = pos;
            this.acked = pos;
        }
    }

    private record Tick(long l, long n, long nanos) {
    }

    /**
     * One read: the rows to publish in this order, the positions each shard reaches once they are
     * all acknowledged, and whether the reader has caught up with the sequence.
     */
    record Batch(List<ClaimedRow> rows, Map<Integer, Long> posAfter, boolean caughtUp) {
    }

    /**
     * Where the horizon stands: the strict horizon, the sequence's last value, how long the oldest
     * sequence value above the horizon has waited to settle (0 when none waits), and the blockers.
     */
    record Stall(long horizon, long lastValue, long ageNanos, Set<Long> blockers) {
    }

    LogReader(Db db, String eventTable, String sequence, boolean holdParked, Duration stallThreshold,
              LongSupplier nanoTime) {
        this.db = db;
        this.eventTable = eventTable;
        this.sequence = sequence;
        this.holdParked = holdParked;
        this.stallThresholdNanos = stallThreshold.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Brings the cursors in line with the leases: forgets shards no longer held, and loads (or, on
     * a shard never read in log mode, initialises and stores) the position of newly held ones.
     */
    void sync(Connection c, Map<Integer, Lease> mine, LogPositions positions) throws SQLException {
        shards.keySet().removeIf(s -> !mine.containsKey(s) || !mine.get(s).equals(shards.get(s).lease));
        List<Integer> fresh = new ArrayList<>();
        for (Integer s : mine.keySet()) {
            if (!shards.containsKey(s)) {
                fresh.add(s);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored = positions.load(c, fresh);
        List<Integer> unset = new ArrayList<>();
        for (Integer s : fresh) {
            Long p = stored.get(s);
            if (p == null) {
                unset.add(s);
            } else {
                shards.put(s, new ShardCursor(mine.get(s), p));
            }
        }
        if (unset.isEmpty()) {
            return;
        }
        while (ticks.isEmpty()) {
            probe(c);
        }
        // first log-mode read of these shards (a cut-over from mark mode, or a new table): start
        // before the oldest PENDING row up to the horizon (rows above it are read as they settle;
        // PUBLISHED and PARKED rows are never read again)
        String sql = horizonSql() + " SELECT p.shard, GREATEST(0, LEAST(h.h1, COALESCE((SELECT min(e.seq) - 1 FROM "
                + eventTable + " e WHERE e.status = 'PENDING' AND e.shard = p.shard AND e.seq <= h.h1), h.h1)))"
                + " FROM h, unnest(?::int4[]) AS p(shard)";
        Map<Integer, Long> initial = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindHorizon(c, ps, 1);
            ps.setArray(i, c.createArrayOf("int4", unset.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    initial.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        positions.store(c, initial, mine);
        for (Integer s : unset) {
            shards.put(s, new ShardCursor(mine.get(s), initial.get(s)));
        }
    }

    /**
     * One statement that only reads the horizon and the sequence: a tick, so that a new shard's
     * first position can be set behind a known horizon. Returns the sequence's last value.
     */
    long probe(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(horizonSql() + " SELECT h.* FROM h")) {
            bindHorizon(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long l = rs.getLong("l");
                recordTick(0, Long.parseLong(rs.getString("nxt")), l, nanoTime.getAsLong());
                horizon = Math.max(horizon, rs.getLong("h1"));
                return l;
            }
        }
    }


    /** The cursors of the shards read now. */
    Map<Integer, ShardCursor> cursors() {
        return shards;
    }

    /**
     * Reads up to {@code limit} rows of the synced shards in one statement: those settled or
     * visible above the read cursors up to the horizon (or, after a blocker ended, those behind
     * them not yet published).
     */
    Batch read(Connection c, int limit) throws SQLException {
        if (shards.isEmpty()) {
            return new Batch(List.of(), Map.of(), true);
        }
        long minPos = Long.MAX_VALUE;
        long minRead = Long.MAX_VALUE;
        long maxRead = Long.MIN_VALUE;
        // by shard number (element shard + 1), null for the shards this reader does not read
        Long[] posArr = new Long[LeaseStore.SHARDS];
        Long[] readArr = new Long[LeaseStore.SHARDS];
        for (Map.Entry<Integer, ShardCursor> e : shards.entrySet()) {
            ShardCursor sc = e.getValue();
            posArr[e.getKey()] = sc.pos;
            readArr[e.getKey()] = sc.read;
            minPos = Math.min(minPos, sc.pos);
            minRead = Math.min(minRead, sc.read);
            maxRead = Math.max(maxRead, sc.read);
        }
        // the scan of the read range is bounded, whatever plan the planner picks: O(window), not O(backlog)
        long window = Math.max(4L * limit * LeaseStore.SHARDS / shards.size(), 10_000L);
        boolean tailAllowed = ahead.size() < MAX_AHEAD;
        replanIfGrown();
        if (sql == null) {
            sql = "/* letterbox read, plan " + planEpoch + " */ " + readSql(eventTable);
        }
        List<ClaimedRow> rescanned = new ArrayList<>();
        List<ClaimedRow> tail = new ArrayList<>();
        long h1;
        long h2;
        long l;
        long nextXid;
        boolean ended;
        List<Long> newBlockers;
        List<Long> stillRunning;
        long freshL;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sequence);
            int i = bindHorizon(c, ps, 2);
            ps.setBoolean(i++, rescanPending);
            // what a re-read after a blocker ended must leave out: rows already published ahead of the horizon
            // (only while a re-read goes on: a re-read that starts in this statement may return rows published
            // ahead, which are dropped here, and continues in the next with them left out)
            ps.setArray(i++, c.createArrayOf("int8", rescanPending
                    ? ahead.subSet(minPos, false, maxRead, true).toArray() : new Object[0]));
            ps.setArray(i++, c.createArrayOf("int8", posArr));
            ps.setArray(i++, c.createArrayOf("int8", readArr));
            ps.setLong(i++, minPos);
            ps.setLong(i++, maxRead);
            ps.setLong(i++, minRead);
            ps.setLong(i++, window);
            ps.setBoolean(i++, tailAllowed);
            ps.setInt(i, limit);
            ps.execute();
            if (!ps.getMoreResults()) {
                throw new SQLException("the log read returned no rows after its tick statement");
            }
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                freshL = rs.getLong("fl");
                h1 = rs.getLong("h1");
                h2 = rs.getLong("h2");
                l = rs.getLong("l");
                nextXid = Long.parseLong(rs.getString("nxt"));
                ended = rs.getBoolean("ended");
                newBlockers = longs(rs.getArray("blockers"));
                stillRunning = longs(rs.getArray("running"));
                do {
                    if (rs.getObject("part") == null) {
                        continue;
                    }
                    ClaimedRow row = OutboxStatements.row(rs, rs.getBoolean("held"));
                    (rs.getInt("part") == 1 ? rescanned : tail).add(row);
                } while (rs.next());
            }
        }
        long now = nanoTime.getAsLong();
        if (LOG.isTraceEnabled()) {
            LOG.atTrace().addKeyValue("h1", h1).addKeyValue("h2", h2).addKeyValue("l", l).addKeyValue("next_xid", nextXid)
                    .addKeyValue("ended", ended).addKeyValue("blockers", newBlockers).addKeyValue("running", stillRunning)
                    .addKeyValue("min_read", minRead).addKeyValue("rescanned", rescanned.size())
                    .addKeyValue("tail", tail.size()).addKeyValue("ticks", ticks.size()).log("log read");
        }
        recordTick(freshL, nextXid, l, now);
        horizon = Math.max(horizon, h1);
        // blockers: those still running, plus the ones this statement read past
        Set<Long> nextBlockers = new HashSet<>(stillRunning);
        nextBlockers.addAll(newBlockers);
        blockers = nextBlockers;

        boolean rescanning = rescanPending || ended;
        List<ClaimedRow> rows = new ArrayList<>(rescanned.size() + tail.size());
        Map<Integer, Long> posAfter = new HashMap<>();
        if (rescanning) {
            for (ClaimedRow r : rescanned) {
                if (!ahead.contains(r.seq())) {
                    rows.add(r);
                }
            }
            rescanPending = rescanned.size() == limit;
            // a re-read cut off by its limit covered the range only up to its last row: the positions may
            // not pass the rows it has not reached yet, even where the horizon already has
            long covered = rescanPending ? rescanned.get(rescanned.size() - 1).seq() : Long.MAX_VALUE;
            for (Map.Entry<Integer, ShardCursor> e : shards.entrySet()) {
                ShardCursor sc = e.getValue();
                sc.pos = Math.max(sc.pos, Math.min(Math.min(sc.read, horizon), covered));
                posAfter.put(e.getKey(), sc.pos);
            }
        } else {
            long bound = tailAllowed ? Math.min(h2, minRead + window) : Math.min(h1, minRead + window);
            if (tail.size() == limit) {
                bound = tail.get(tail.size() - 1).seq();
            }
            for (ClaimedRow r : tail) {
                if (!ahead.contains(r.seq())) {
                    rows.add(r);
                }
            }
            for (Map.Entry<Integer, ShardCursor> e : shards.entrySet()) {
                ShardCursor sc = e.getValue();
                sc.read = Math.max(sc.read, bound);
                sc.pos = Math.max(sc.pos, Math.min(sc.read, horizon));
                posAfter.put(e.getKey(), sc.pos);
            }
        }
        // rows read ahead of the strict horizon are remembered at once (a claim made ahead must skip them)
        for (ClaimedRow r : rows) {
            if (r.seq() > posAfter.getOrDefault(r.shard(), Long.MAX_VALUE)) {
                ahead.add(r.seq());
            }
        }
        return new Batch(rows, posAfter, !rescanPending && minReadNow() >= l);
    }

    private long minReadNow() {
        long m = Long.MAX_VALUE;
        for (ShardCursor sc : shards.values()) {
            m = Math.min(m, sc.read);
        }
        return m;
    }

    /**
     * The batch was acknowledged in full: its positions may be stored.
     */
    void acked(Batch batch) {
        batch.posAfter().forEach((s, p) -> {
            ShardCursor sc = shards.get(s);
            if (sc != null) {
                sc.acked = Math.max(sc.acked, p);
            }
        });
        prune();
    }

    /**
     * Part of a batch must be read again: moves each shard's cursors back before its first row in
     * {@code again}, and remembers the acknowledged rows above the new positions as published.
     */
    void rewind(Collection<ClaimedRow> again, Collection<ClaimedRow> acknowledged) {
        Map<Integer, Long> first = new HashMap<>();
        for (ClaimedRow r : again) {
            first.merge(r.shard(), r.seq(), Math::min);
            ahead.remove(r.seq());
        }
        first.forEach((s, seq) -> {
            ShardCursor sc = shards.get(s);
            if (sc != null) {
                sc.read = Math.min(sc.read, seq - 1);
                sc.pos = Math.min(sc.pos, seq - 1);
            }
        });
        for (ClaimedRow r : acknowledged) {
            ShardCursor sc = shards.get(r.shard());
            if (sc != null && r.seq() > sc.pos) {
                ahead.add(r.seq());
            }
        }
    }

    /** Forgets remembered seqs every shard's position has passed. */
    private void prune() {
        long min = Long.MAX_VALUE;
        for (ShardCursor sc : shards.values()) {
            min = Math.min(min, sc.pos);
        }
        ahead.headSet(min, true).clear();
    }

    /**
     * Gives the read statement a new text, and so a new server-side statement and plan, once
     * {@link #REPLAN_ROWS} sequence values were drawn since its plan was made, at most once per
     * {@link #REPLAN_EVERY} (at once after ten times as many: a burst). The driver prepares a statement on the server from its fifth execution
     * and PostgreSQL then keeps a generic plan; one made while the table was empty (a new table, a
     * cleanup that emptied it and the autovacuum and analyze after it, a TRUNCATE) is built on zero
     * pages and keeps sequential scans, for the window's rows and for every row's parked-predecessor
     * test, until autoanalyze invalidates it. Regression: 1.7 to 3 s per read at a steady 1,000
     * events/s on a 25,000-row table (auto_explain: "Seq Scan on outbox_event p_4 ... loops=1200",
     * 5M buffers). Planning every execution instead (mark mode's claim does) tripled the relay's
     * PostgreSQL CPU at 500 events/s; a new plan per 1,000 events costs a few plannings. The
     * statement also reads the parked rows once, not once per row, which bounds what a plan made
     * on an empty table can cost until the next plan.
     */
    private void replanIfGrown() {
        if (lastValue == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (planValue < 0) {
            planValue = lastValue;
            planNanos = now;
        } else if (lastValue - planValue >= REPLAN_ROWS
                && (now - planNanos >= REPLAN_EVERY.toNanos() || lastValue - planValue >= 10 * REPLAN_ROWS)) {
            planValue = lastValue;
            planNanos = now;
            planEpoch++;
            sql = null;
        }
    }

    /** The sequence's last value as the latest statement saw it (0 before the first). */
    long lastValue() {
        return lastValue == null ? 0 : lastValue;
    }

    /** Where the horizon stands now (for metrics, logs and health). */
    Stall stall() {
        long now = nanoTime.getAsLong();
        long age = 0;
        for (Tick t : ticks) {
            if (t.l() > horizon) {
                age = now - t.nanos();
                break;
            }
        }
        return new Stall(horizon, lastValue(), age, Set.copyOf(blockers));
    }

    /**
     * Records the tick a statement made: the larger of the previous statement's last value and
     * {@code freshL} (read before this statement's snapshot, 0 for none) with this statement's next
     * xid; then {@code l}, read during this statement, becomes the last value.
     */
    private void recordTick(long freshL, long nextXid, long l, long now) {
        long tickL = lastValue == null ? freshL : Math.max(lastValue, freshL);
        if (lastValue != null || freshL > 0) {
            ticks.addLast(new Tick(tickL, nextXid, now));
        }
        lastValue = l;
        // ticks at or below the horizon's best are redundant except the newest of them
        while (ticks.size() > 1) {
            Iterator<Tick> it = ticks.iterator();
            Tick first = it.next();
            Tick second = it.next();
            if (second.l() <= horizon && first.l() <= second.l()) {
                ticks.removeFirst();
            } else {
                break;
            }
        }
        if (ticks.size() > MAX_TICKS) {
            // thin out the older half: keep every other tick
            List<Tick> all = new ArrayList<>(ticks);
            ticks.clear();
            for (int i = 0; i < all.size(); i++) {
                if (i >= all.size() / 2 || i % 2 == 0) {
                    ticks.addLast(all.get(i));
                }
            }
        }
    }

    /** The xid horizon below which transactions count as blockers: N of the newest tick older than the threshold. */
    private Long blockerBound(long now) {
        Long bound = null;
        for (Tick t : ticks) {
            if (now - t.nanos() >= stallThresholdNanos) {
                bound = t.n();
            }
        }
        return bound;
    }

    /** The session setting through which {@link #FRESH_TICK} hands its value to the read statement. */
    private static final String FRESH_SETTING = "letterbox.fresh_l";

    /**
     * The read's first statement, sent in the same round trip and implicit transaction as the read
     * statement itself: the sequence's last value {@code L} <em>before</em> the read statement's
     * snapshot, so that the read statement can pair it with its own next xid as a tick and, when no
     * transaction runs at its snapshot, read up to it at once. Without it a read could only use the
     * {@code L} of the reader's previous statement: an event committed just before a read went out
     * one read later (with {@code read-interval}, one interval later). One parameter: the sequence.
     */
    static final String FRESH_TICK = "SELECT set_config('" + FRESH_SETTING
            + "', COALESCE(pg_sequence_last_value(?::regclass), 0)::text, false)";

    /**
     * The next transaction id to be assigned, read during the statement (after its snapshot): a
     * read-only transaction's {@code age(xid)} counts from it. Not {@code pg_snapshot_xmax}, which is
     * only one past the latest <em>completed</em> xid: a writer with a newer xid may still run, and a
     * tick bounded by xmax would let the horizon pass its rows (regression, found by the checker's
     * lone slow writer: a writer that inserts, then works before its commit, while nothing younger
     * completes).
     */
    private static final String NEXT_XID = "(pg_snapshot_xmin(s)::text::bigint + age((pg_snapshot_xmin(s)::text::bigint"
            + " % 4294967296)::text::xid))::text::xid8";

    /**
     * The common table expressions of the horizon: {@code x} (the snapshot), {@code b} (blockers)
     * and {@code h} (h1: the strict horizon, h2: the horizon past blockers, l: the sequence's last
     * value now, blockers, running: remembered blockers still running, ended: one of them ended).
     * Parameters, bound by {@link #bindHorizon}: sequence, previous last value, tick L[], tick N[],
     * blocker bound (twice), remembered blockers.
     */
    static String horizonSql() {
        return horizonSql("NULL::int8");
    }

    /**
     * {@link #horizonSql()} with {@code freshL}, the sequence's last value read by an earlier
     * statement of the same round trip ({@link #FRESH_TICK}), as the newest tick's L (with this
     * statement's next xid as its N) when it is above the last value of the reader's previous
     * statement; {@code h.fl} returns it.
     */
    private static String horizonSql(String freshL) {
        return "WITH x AS MATERIALIZED (SELECT pg_snapshot_xmin(s) AS xmin, pg_snapshot_xmax(s) AS xmax,"
                + " ARRAY(SELECT pg_snapshot_xip(s)) AS xip, " + NEXT_XID + " AS nxt"
                + " FROM (SELECT pg_current_snapshot() AS s) q),"
                + " t AS MATERIALIZED (SELECT u.l, u.n FROM unnest(?::int8[], ?::xid8[]) AS u(l, n)"
                + " UNION ALL SELECT GREATEST(?::int8, " + freshL + "), x.nxt FROM x),"
                + " b AS MATERIALIZED (SELECT COALESCE((SELECT min(i) FROM unnest(x.xip) AS i WHERE ?::xid8 IS NULL"
                + " OR i >= ?::xid8), x.xmax) AS xmin2,"
                + " ARRAY(SELECT i::text FROM unnest(x.xip) AS i WHERE i < ?::xid8) AS blockers,"
                + " ARRAY(SELECT r::text FROM unnest(?::xid8[]) AS r WHERE r = ANY(x.xip)) AS running,"
                + " EXISTS (SELECT 1 FROM unnest(?::xid8[]) AS r WHERE r <> ALL(x.xip)) AS ended FROM x),"
                + " h AS MATERIALIZED (SELECT x.nxt::text AS nxt, COALESCE(pg_sequence_last_value(?::regclass), 0) AS l,"
                + " " + freshL + " AS fl,"
                + " COALESCE((SELECT max(t.l) FROM t WHERE t.n <= x.xmin), 0) AS h1,"
                + " COALESCE((SELECT max(t.l) FROM t WHERE t.n <= b.xmin2), 0) AS h2,"
                + " b.blockers, b.running, b.ended FROM x, b)";
    }

    /** Binds {@link #horizonSql()}'s parameters from {@code index}; returns the next index. */
    private int bindHorizon(Connection c, PreparedStatement ps, int index) throws SQLException {
        Object[] ls = new Object[ticks.size()];
        Object[] ns = new Object[ticks.size()];
        int k = 0;
        for (Tick t : ticks) {
            ls[k] = t.l();
            ns[k++] = Long.toString(t.n());
        }
        Long bound = blockerBound(nanoTime.getAsLong());
        Object[] remembered = blockers.stream().map(String::valueOf).toArray();
        int i = index;
        ps.setArray(i++, c.createArrayOf("int8", ls));
        ps.setArray(i++, c.createArrayOf("text", ns));
        if (lastValue == null) {
            ps.setNull(i++, java.sql.Types.BIGINT);
        } else {
            ps.setLong(i++, lastValue);
        }
        String b = bound == null ? null : bound.toString();
        ps.setString(i++, b);
        ps.setString(i++, b);
        ps.setString(i++, b);
        ps.setArray(i++, c.createArrayOf("text", remembered));
        ps.setArray(i++, c.createArrayOf("text", remembered));
        ps.setString(i++, sequence);
        return i;
    }

    private String readSql(String t) {
        String cols = "e.seq, e.id, e.aggregatetype, e.aggregateid, e.type, e.payload, e.headers::text, e.topic,"
                + " e.created_at, e.shard, e.attempts, "
                // the parked rows are read once per statement (a handful, through their partial index), not
                // once per candidate row: a plan made while the table was empty scans the whole table for each
                + (holdParked ? "EXISTS (SELECT 1 FROM pk WHERE pk.aggregateid = e.aggregateid"
                        + " AND pk.aggregatetype = e.aggregatetype AND pk.s < e.seq)" : "false") + " AS held";
        String parked = holdParked ? " pk AS MATERIALIZED (SELECT aggregatetype, aggregateid, min(seq) AS s FROM " + t
                + " WHERE status = 'PARKED' GROUP BY aggregatetype, aggregateid)," : "";
        // each shard's position and read cursor are looked up by shard number in arrays, not joined: a join
        // took the rows out of seq order, and the plan then read and sorted the whole range for every batch
        // (regression: 180,000 rows per 500-row read after a 200,000-row transaction ended, with statistics
        // from before it; 4,700 instead of 38,000 events/s)
        return FRESH_TICK + "; " + horizonSql("current_setting('" + FRESH_SETTING + "')::int8") + "," + parked
                + " prm AS MATERIALIZED (SELECT ?::boolean AS rescan, ?::int8[] AS ahead),"
                + " lim AS MATERIALIZED (SELECT ?::int8[] AS pos, ?::int8[] AS rd, ?::int8 AS min_pos,"
                + " ?::int8 AS max_read, ?::int8 AS min_read, ?::int8 AS win, ?::boolean AS tail_ok, ?::int AS n)"
                + " SELECT r.*, h.*, r.part FROM h CROSS JOIN prm CROSS JOIN lim LEFT JOIN LATERAL ("
                + "(SELECT " + cols + ", 1 AS part FROM " + t + " e"
                + " WHERE (prm.rescan OR h.ended) AND e.status = 'PENDING'"
                + " AND e.seq > lim.min_pos AND e.seq <= lim.max_read"
                + " AND e.seq > lim.pos[e.shard + 1] AND e.seq <= lim.rd[e.shard + 1]"
                + " AND NOT EXISTS (SELECT 1 FROM unnest(prm.ahead) AS a(s) WHERE a.s = e.seq)"
                + " ORDER BY e.seq LIMIT lim.n)"
                + " UNION ALL "
                + "(SELECT " + cols + ", 2 AS part FROM " + t + " e"
                + " WHERE NOT (prm.rescan OR h.ended) AND e.status = 'PENDING'"
                + " AND e.seq > lim.min_read AND e.seq <= LEAST(CASE WHEN lim.tail_ok THEN h.h2 ELSE h.h1 END,"
                + " lim.min_read + lim.win) AND e.seq > lim.rd[e.shard + 1]"
                + " ORDER BY e.seq LIMIT lim.n)) r ON true ORDER BY r.part NULLS FIRST, r.seq";
    }

    private static List<Long> longs(Array array) throws SQLException {
        List<Long> out = new ArrayList<>();
        if (array == null) {
            return out;
        }
        for (Object o : (Object[]) array.getArray()) {
            out.add(Long.parseLong(o.toString()));
        }
        return out;
    }
}
