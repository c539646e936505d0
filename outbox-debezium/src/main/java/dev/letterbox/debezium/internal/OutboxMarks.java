package dev.letterbox.debezium.internal;

import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.OutboxRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The statements CDC writes back to the outbox table: mark acknowledged rows {@code PUBLISHED}
 * (TABLE mode, so cleanup and the backlog gauge work as with polling), park events Kafka refused,
 * and park rows that are not valid events (TABLE mode, as polling parks them). Each is one
 * statement per batch and checks the {@code cdc} lease epoch (fencing).
 * Thread-safe.
 */
final class OutboxMarks {

    private static final int MAX_ERROR = 4000;
    /**
     * The rows still to publish, written so that only the primary key serves the statement: with
     * {@code status = 'PENDING'} the planner, on statistics from before a burst, walked the whole
     * partial PENDING index and filtered it on the ids (97,952 rows removed for a 2,048-row mark
     * at a 100k backlog, 41 ms instead of 7). The same rows under the table's CHECK constraint.
     */
    static final String STILL_PENDING = "status NOT IN ('PUBLISHED', 'PARKED')";

    private final DataSource dataSource;
    private final DatabaseTarget target;

    OutboxMarks(DataSource dataSource, DatabaseTarget target) {
        this.dataSource = dataSource;
        this.target = target;
    }

    /**
     * Marks the rows of these events PUBLISHED while {@code lease} is still ours.
     *
     * @return the events whose rows are still to mark: not visible yet (PostgreSQL hands a commit to
     *         logical decoding before other sessions see its rows), gone, or still {@code PENDING}
     *         because the fence refused the write; empty when every row is {@code PUBLISHED} or
     *         {@code PARKED} now
     */
    List<OutboxRecord> markPublished(List<OutboxRecord> records, Lease lease) throws SQLException {
        if (records.isEmpty()) {
            return List.of();
        }
        String now = target.kind() == DatabaseTarget.Kind.POSTGRES ? "now()" : "CURRENT_TIMESTAMP(6)";
        String sql = "UPDATE " + target.quotedEventTable() + " SET status = 'PUBLISHED', published_at = " + now
                + " WHERE " + idColumn() + " IN (" + String.join(", ", Collections.nCopies(records.size(), idParam()))
                + ") AND " + STILL_PENDING + " AND " + fence();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (OutboxRecord r : records) {
                ps.setString(i++, r.id().toString());
            }
            bindFence(ps, i, lease);
            int updated = ps.executeUpdate();
            Set<UUID> distinct = new HashSet<>();
            records.forEach(r -> distinct.add(r.id()));
            return updated == distinct.size() ? List.of() : notDone(c, records);
        }
    }

    /**
     * The events whose rows are neither PUBLISHED nor PARKED (read after the update: a row that became
     * visible meanwhile is PENDING and is therefore still to mark, never taken as done). One statement.
     */
    private List<OutboxRecord> notDone(Connection c, List<OutboxRecord> records) throws SQLException {
        String sql = "SELECT " + (target.kind() == DatabaseTarget.Kind.POSTGRES ? "id::text" : "id") + " FROM "
                + target.quotedEventTable() + " WHERE " + idColumn() + " IN ("
                + String.join(", ", Collections.nCopies(records.size(), idParam())) + ") AND NOT (" + STILL_PENDING + ")";
        Set<UUID> done = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (OutboxRecord r : records) {
                ps.setString(i++, r.id().toString());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(UUID.fromString(rs.getString(1)));
                }
            }
        }
        List<OutboxRecord> left = new ArrayList<>();
        for (OutboxRecord r : records) {
            if (!done.contains(r.id())) {
                left.add(r);
            }
        }
        return left;
    }

    /**
     * Parks refused events: a row that is still PENDING in the table (TABLE mode) becomes PARKED
     * with the error; an event without a row (INSERT_AND_DELETE, LOGICAL_MESSAGE) gets a PARKED row
     * inserted, so the parked-event tools see every parked event in one place. Returns rows written.
     */
    int park(List<OutboxRecord> records, List<String> errors, Lease lease) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        boolean pg = target.kind() == DatabaseTarget.Kind.POSTGRES;
        String update = "UPDATE " + target.quotedEventTable() + " SET status = 'PARKED', last_error = ?,"
                + " attempts = attempts + 1 WHERE " + idColumn() + " = " + idParam() + " AND " + STILL_PENDING + " AND " + fence();
        String insert = (pg ? "INSERT INTO " : "INSERT IGNORE INTO ") + target.quotedEventTable()
                + " (id, aggregatetype, aggregateid, type, payload, headers, topic, created_at, status, attempts, last_error)"
                + " SELECT " + (pg ? "?::uuid" : "?") + ", ?, ?, ?, ?, " + (pg ? "?::jsonb" : "?") + ", ?, ?, 'PARKED', 1, ?"
                + (pg ? "" : " FROM DUAL") + " WHERE " + fence() + (pg ? " ON CONFLICT DO NOTHING" : "");
        int written = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement(update); PreparedStatement in = c.prepareStatement(insert)) {
                for (int k = 0; k < records.size(); k++) {
                    OutboxRecord r = records.get(k);
                    String error = abbreviate(errors.get(k));
                    up.setString(1, error);
                    up.setString(2, r.id().toString());
                    bindFence(up, 3, lease);
                    int n = up.executeUpdate();
                    if (n == 0) {
                        in.setString(1, r.id().toString());
                        in.setString(2, r.aggregateType());
                        in.setString(3, r.aggregateId());
                        in.setString(4, r.eventType());
                        in.setBytes(5, r.payload());
                        in.setString(6, r.headers().isEmpty() ? null : HeadersJson.write(r.headers()));
                        in.setString(7, r.topic());
                        in.setTimestamp(8, Timestamp.from(r.createdAt()));
                        in.setString(9, error);
                        bindFence(in, 10, lease);
                        n = in.executeUpdate();
                    }
                    written += n;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return written;
    }

    /**
     * Parks rows that are not valid events (TABLE mode): each row still PENDING becomes PARKED with
     * its reason, in one batched statement, while {@code lease} is ours; nothing is inserted for a
     * row that is gone. Returns rows updated.
     */
    int parkInvalidRows(List<UUID> ids, List<String> errors, Lease lease) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE " + target.quotedEventTable() + " SET status = 'PARKED', last_error = ?,"
                + " attempts = attempts + 1 WHERE " + idColumn() + " = " + idParam() + " AND " + STILL_PENDING + " AND " + fence();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < ids.size(); k++) {
                ps.setString(1, abbreviate(errors.get(k)));
                ps.setString(2, ids.get(k).toString());
                bindFence(ps, 3, lease);
                ps.addBatch();
            }
            int updated = 0;
            for (int n : ps.executeBatch()) {
                updated += n > 0 ? n : (n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : 0);
            }
            return updated;
        }
    }

    private String idColumn() {
        return "id";
    }

    private String idParam() {
        return target.kind() == DatabaseTarget.Kind.POSTGRES ? "?::uuid" : "?";
    }

    private String fence() {
        return "EXISTS (SELECT 1 FROM " + target.quotedLeaseTable() + " l WHERE l.name = ? AND l.owner = ? AND l.epoch = ?)";
    }

    private static void bindFence(PreparedStatement ps, int index, Lease lease) throws SQLException {
        ps.setString(index, lease.name());
        ps.setString(index + 1, lease.owner());
        ps.setLong(index + 2, lease.epoch());
    }

    private static String abbreviate(String error) {
        String e = error == null ? "unknown error" : error;
        return e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e;
    }
}
