package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The polling relay's statements on the event table: one claim and one mark per batch, plus one
 * batched update for failed events. Every mark checks the shard lease's epoch in the statement
 * itself, so an instance whose lease was taken over marks nothing. Thread-safe.
 */
final class OutboxStatements {

    /**
     * "The row is still PENDING", for the updates by primary key. Written as NOT IN (the CHECK
     * constraint allows only these three values) so that PostgreSQL cannot match it to the partial
     * index {@code WHERE status = 'PENDING'}: with statistics from before a burst (few PENDING rows)
     * the planner preferred walking that whole index to the primary-key lookups, 3 s per 500-row mark
     * at a 200k backlog (auto_explain: "Index Scan using outbox_event_pending_idx ... Filter: id =
     * ANY ($1)"); now the only index that serves these updates is the key.
     */
    private static final String STILL_PENDING = "e.status NOT IN ('PUBLISHED', 'PARKED')";

    private final Db db;
    private final String instanceId;
    private final boolean holdParkedAggregates;

    OutboxStatements(Db db, String instanceId, boolean holdParkedAggregates) {
        this.db = db;
        this.instanceId = instanceId;
        this.holdParkedAggregates = holdParkedAggregates;
    }

    /**
     * Reads up to {@code limit} PENDING rows of the given shards whose next attempt is due, in seq
     * order, leaving out (when holding) rows of aggregates with an earlier PARKED event, and the rows
     * of {@code marking}: a batch Kafka acknowledged whose mark may not have committed yet.
     */
    List<ClaimedRow> claim(Connection c, Collection<Integer> shards, int limit, List<ClaimedRow> marking)
            throws SQLException {
        if (db.dialect() != SqlDialect.POSTGRES) {
            return select(c, shards, limit, marking);
        }
        // In its own short transaction, with sorts and bitmap scans off for it alone: the rows must
        // come from the PENDING index in seq order, stopping after `limit`. With statistics from
        // before a burst (few PENDING rows) the planner otherwise reads every PENDING row with a
        // bitmap scan and sorts them: O(backlog) per claim, 300-420 ms at 200k PENDING rows in the
        // drain benchmark (auto_explain: "Bitmap Heap Scan ... rows=388", 200k there) until
        // autoanalyze ran, and for good on a server without autovacuum.
        return Db.inTransaction(c, tx -> {
            try (Statement s = tx.createStatement()) {
                s.execute("SELECT set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true)");
            }
            return select(tx, shards, limit, marking);
        });
    }

    private List<ClaimedRow> select(Connection c, Collection<Integer> shards, int limit, List<ClaimedRow> marking)
            throws SQLException {
        SqlDialect d = db.dialect();
        String t = db.eventTable();
        String sql = "SELECT e.seq, e.id, e.aggregatetype, e.aggregateid, e.type, e.payload, "
                + (d == SqlDialect.POSTGRES ? "e.headers::text" : "e.headers")
                + ", e.topic, e.created_at, e.shard, e.attempts FROM " + t + " e"
                + " WHERE e.status = 'PENDING' AND " + d.inList("e.shard", "int4", shards.size())
                + " AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= " + d.now() + ")"
                + (marking.isEmpty() ? "" : " AND NOT (" + d.inList("e.seq", "int8", marking.size()) + ")")
                + (holdParkedAggregates ? " AND NOT EXISTS (SELECT 1 FROM " + t + " p WHERE p.status = 'PARKED'"
                        + " AND p.aggregateid = e.aggregateid AND p.aggregatetype = e.aggregatetype AND p.seq < e.seq)" : "")
                + " ORDER BY e.seq LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            d.planEachExecution(ps);
            int i = d.bindList(ps, 1, "int4", new ArrayList<>(shards));
            if (!marking.isEmpty()) {
                List<Object> seqs = new ArrayList<>(marking.size());
                for (ClaimedRow r : marking) {
                    seqs.add(r.seq());
                }
                i = d.bindList(ps, i, "int8", seqs);
            }
            ps.setInt(i, limit);
            List<ClaimedRow> rows = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    private static ClaimedRow row(ResultSet rs) throws SQLException {
        return row(rs, false);
    }

    /**
     * A row from columns 1..11 (seq, id, aggregatetype, aggregateid, type, payload, headers, topic,
     * created_at, shard, attempts); {@code held}: log mode found an earlier PARKED event of its aggregate.
     */
    static ClaimedRow row(ResultSet rs, boolean held) throws SQLException {
        long seq = rs.getLong(1);
        UUID id = UUID.fromString(rs.getString(2));
        Timestamp created = rs.getTimestamp(9);
        Map<String, String> headers = Map.of();
        String defect = null;
        try {
            headers = HeadersJson.parse(rs.getString(7));
        } catch (IOException | RuntimeException e) {
            // regression: this threw, so every claim of the row's shards failed and the relay reported
            // the database unreachable forever; the row is now parked with the reason instead
            defect = "the headers column of event " + id + " is not a JSON object of string values (" + e.getMessage()
                    + "): the event was parked without being sent; correct the column, then `parked retry` it";
        }
        if (defect == null) {
            defect = RowDefects.identity(id, rs.getString(3), rs.getString(4));
        }
        OutboxRecord record = new OutboxRecord(id, rs.getString(3), rs.getString(4), rs.getString(5), rs.getBytes(6),
                headers, rs.getString(8), created.toInstant());
        if (held && defect == null) {
            defect = "held back: an earlier event of aggregate " + record.aggregateKey() + " is PARKED, so this one was"
                    + " parked too, unsent, to keep the aggregate's order; retry the aggregate's parked events together"
                    + " (`parked retry --aggregate-id ...`) once the first one is fixed";
        }
        return new ClaimedRow(seq, rs.getInt(10), rs.getInt(11), record, defect, held);
    }

    /**
     * Marks rows PUBLISHED in one statement, only where this instance still holds the row's shard
     * lease with the epoch it had when it claimed (the fencing tokens); returns the rows updated.
     */
    int markPublished(Connection c, List<ClaimedRow> rows, Collection<Lease> leases) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        SqlDialect d = db.dialect();
        boolean pg = d == SqlDialect.POSTGRES;
        String sql = "UPDATE " + db.eventTable() + " e SET status = 'PUBLISHED', published_at = " + d.now()
                + " WHERE " + (pg ? d.inList("e.id", "uuid", rows.size()) : d.inList("e.seq", "int8", rows.size()))
                + " AND " + STILL_PENDING + " AND " + fence(d, leases.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            d.planEachExecution(ps);
            List<Object> keys = new ArrayList<>(rows.size());
            for (ClaimedRow r : rows) {
                keys.add(pg ? r.record().id() : (Object) r.seq());
            }
            int i = d.bindList(ps, 1, pg ? "uuid" : "int8", keys);
            bindFence(d, ps, i, leases);
            return ps.executeUpdate();
        }
    }

    /** One failed event: its row, the error text, and whether this attempt parks it. */
    record Failure(ClaimedRow row, String error, Lease lease) {
    }

    /**
     * Counts one more attempt for each failed event, records its error and parks those that reached
     * {@code maxAttempts} (a defective row at once), in one batched statement, fenced like
     * {@link #markPublished}; returns the
     * rows updated.
     */
    int recordFailures(Connection c, List<Failure> failures, int maxAttempts) throws SQLException {
        if (failures.isEmpty()) {
            return 0;
        }
        SqlDialect d = db.dialect();
        boolean pg = d == SqlDialect.POSTGRES;
        // status first: MariaDB evaluates SET assignments left to right with the new values.
        String sql = "UPDATE " + db.eventTable() + " e SET status = CASE WHEN attempts + 1 >= ? THEN 'PARKED' ELSE status END,"
                + " last_error = ?, attempts = attempts + 1 WHERE " + (pg ? "e.id = ?::uuid" : "e.seq = ?")
                + " AND " + STILL_PENDING + " AND " + fence(d, 1);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Failure f : failures) {
                ps.setInt(1, f.row().defect() != null ? 0 : maxAttempts);
                ps.setString(2, f.error().length() > 4000 ? f.error().substring(0, 4000) : f.error());
                if (pg) {
                    ps.setString(3, f.row().record().id().toString());
                } else {
                    ps.setLong(3, f.row().seq());
                }
                bindFence(d, ps, 4, List.of(f.lease()));
                ps.addBatch();
            }
            int updated = 0;
            for (int n : ps.executeBatch()) {
                updated += n > 0 ? n : (n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : 0);
            }
            return updated;
        }
    }

    /**
     * The fencing condition on a row {@code e}: this instance still holds the row's shard lease with
     * one of the given epochs. On PostgreSQL it is written as a membership test in the shards read
     * once per statement (an InitPlan): the correlated EXISTS below was flattened there into a join
     * that probed the primary key once per lease and row (64 x 500 probes, 300 ms for a 500-row mark
     * instead of 10-20 ms). MariaDB runs the EXISTS per row, which is cheap.
     */
    private String fence(SqlDialect d, int tokens) throws SQLException {
        if (d == SqlDialect.POSTGRES) {
            return d.concat("'shard-'", "e.shard") + " = ANY(ARRAY(SELECT l.name FROM " + db.leaseTable() + " l"
                    + " WHERE l.owner = ? AND l.expires_at > now() AND "
                    + d.inList(d.concat("l.name", "'@'", "l.epoch"), "text", tokens) + "))";
        }
        return "EXISTS (SELECT 1 FROM " + db.leaseTable() + " l WHERE l.name = " + d.concat("'shard-'", "e.shard")
                + " AND l.owner = ? AND l.expires_at > " + d.now() + " AND "
                + d.inList(d.concat("l.name", "'@'", "l.epoch"), "text", tokens) + ")";
    }

    private void bindFence(SqlDialect d, PreparedStatement ps, int index, Collection<Lease> leases) throws SQLException {
        ps.setString(index, instanceId);
        List<Object> tokens = new ArrayList<>(leases.size());
        for (Lease l : leases) {
            tokens.add(l.token());
        }
        d.bindList(ps, index + 1, "text", tokens);
    }
}
