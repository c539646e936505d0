package dev.letterbox.relay.logmode;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The table a {@link CommitHistoryChecker} run writes events into and its readers read from: how
 * to insert one event, and which columns hold an event's seq, aggregate and number.
 *
 * <p>{@link #checkerTable()} is the checker's own small table; the relay's {@code outbox_event}
 * table is described the same way, for example (its schema creates it, so no statements):
 * <pre>{@code
 * new EventTable("outbox_event", "outbox_event_seq", "seq", "aggregateid", "(payload->>'n')::int",
 *         "INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload)"
 *                 + " VALUES (gen_random_uuid(), 'checker', ?, 'n', ?::jsonb) RETURNING seq",
 *         (insert, aggregate, n) -> { insert.setString(1, aggregate); insert.setString(2, "{\"n\":" + n + "}"); },
 *         List.of());
 * }</pre>
 *
 * <p>Immutable, so thread-safe (the binder must be stateless).
 *
 * @param name the table, as written in SQL
 * @param sequence the sequence the seq column draws from ({@code CACHE 1}), as written in SQL
 * @param seqColumn the column holding the sequence value
 * @param aggregateColumn the column holding the aggregate (text)
 * @param nExpression an SQL expression over the row giving the event's number within its aggregate (int)
 * @param insertSql an INSERT of one event that returns the seq it drew as its only column
 * @param binder sets the INSERT's parameters for one event
 * @param createStatements DDL that creates the table and its sequence, run once before a run; empty if
 *         the table exists already
 */
public record EventTable(String name, String sequence, String seqColumn, String aggregateColumn,
        String nExpression, String insertSql, Binder binder, List<String> createStatements) {

    /** Sets the parameters of {@link #insertSql()} for one event. Implementations are stateless. */
    @FunctionalInterface
    public interface Binder {

        /**
         * Binds one event's values.
         *
         * @param insert the prepared {@link #insertSql()}
         * @param aggregate the event's aggregate, for example {@code a17}
         * @param n the event's number within the aggregate, from 1
         * @throws SQLException if a parameter cannot be set
         */
        void bind(PreparedStatement insert, String aggregate, int n) throws SQLException;
    }

    /** Checks that every part is given. */
    public EventTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(seqColumn, "seqColumn");
        Objects.requireNonNull(aggregateColumn, "aggregateColumn");
        Objects.requireNonNull(nExpression, "nExpression");
        Objects.requireNonNull(insertSql, "insertSql");
        Objects.requireNonNull(binder, "binder");
        createStatements = List.copyOf(createStatements);
    }

    /**
     * The checker's own table {@code checker_ev}, whose seq is drawn only after the writing
     * transaction has an xid (the column default evaluates {@code pg_current_xact_id()} first).
     */
    public static EventTable checkerTable() {
        return checkerTable("CASE WHEN pg_current_xact_id() IS NOT NULL THEN nextval('checker_ev_seq') END");
    }

    /**
     * The checker's own table with a plain {@code nextval} default, which draws seq before the
     * transaction has an xid when the INSERT is its first write (a plain-SQL writer): the trap
     * LOG-MODE.md lists as "an identity default that draws seq before the xid". A horizon reader
     * loses such rows: the BEFORE INSERT trigger sleeps between drawing seq and taking the xid.
     */
    public static EventTable checkerTableDrawingSeqBeforeXid() {
        return checkerTable("nextval('checker_ev_seq')");
    }

    private static EventTable checkerTable(String seqDefault) {
        return new EventTable("checker_ev", "checker_ev_seq", "seq", "aggregate", "n",
                "INSERT INTO checker_ev (aggregate, n, payload) VALUES (?, ?, repeat('x', 200)) RETURNING seq",
                (insert, aggregate, n) -> {
                    insert.setString(1, aggregate);
                    insert.setInt(2, n);
                },
                List.of("CREATE SEQUENCE checker_ev_seq CACHE 1",
                        "CREATE TABLE checker_ev (seq bigint NOT NULL DEFAULT " + seqDefault + " PRIMARY KEY,"
                                + " aggregate text NOT NULL, n int NOT NULL, payload text)"));
    }

    /** Returns {@code SELECT seq, aggregate, n FROM <table>} in this table's terms, to which a reader adds its bounds. */
    String selectEvents() {
        return "SELECT " + seqColumn + ", " + aggregateColumn + ", " + nExpression + " FROM " + name;
    }
}
