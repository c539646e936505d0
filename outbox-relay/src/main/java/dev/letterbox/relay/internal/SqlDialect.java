package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** The SQL differences between the databases the relay supports; immutable. */
enum SqlDialect {
    /** PostgreSQL: arrays bound as one parameter, {@code now()}, double-quoted identifiers. */
    POSTGRES('"', "now()"),
    /** MariaDB and MySQL: IN lists, {@code NOW(6)}, back-quoted identifiers. */
    MARIADB('`', "NOW(6)");

    private final char quote;
    private final String now;

    SqlDialect(char quote, String now) {
        this.quote = quote;
        this.now = now;
    }

    static SqlDialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        throw new RelayException("the polling relay supports PostgreSQL and MariaDB/MySQL, but the database reports '"
                + product + "': use one of those, or the cdc strategy");
    }

    String quote(String identifier) {
        return quote + identifier + quote;
    }

    /** The database's current time. */
    String now() {
        return now;
    }

    /** The database's current time plus a bound parameter of milliseconds. */
    String nowPlusMillis() {
        return this == POSTGRES ? "(now() + ? * interval '1 millisecond')" : "TIMESTAMPADD(MICROSECOND, ? * 1000, NOW(6))";
    }

    /** The database's current time minus a bound parameter of milliseconds. */
    String nowMinusMillis() {
        return this == POSTGRES ? "(now() - ? * interval '1 millisecond')" : "TIMESTAMPADD(MICROSECOND, -1000 * ?, NOW(6))";
    }

    /** String concatenation of the given SQL expressions. */
    String concat(String... parts) {
        return this == POSTGRES ? "(" + String.join(" || ", parts) + ")" : "CONCAT(" + String.join(", ", parts) + ")";
    }

    /**
     * A membership test of {@code expr} in a list bound later with {@link #bindList}: one array
     * parameter on PostgreSQL (the statement text stays the same), an IN list elsewhere.
     */
    String inList(String expr, String pgType, int size) {
        if (this == POSTGRES) {
            return expr + " = ANY(?::" + pgType + "[])";
        }
        return expr + " IN (" + "?,".repeat(Math.max(size, 1)).replaceAll(",$", "") + ")";
    }

    /**
     * On PostgreSQL, has the statement planned at every execution (pgjdbc's prepare threshold 0: the
     * unnamed statement) instead of by a cached generic plan. The outbox swings from empty to a large
     * backlog and back; a generic plan cached while the table was empty (after a TRUNCATE, or a
     * cleanup that emptied it) is built on zero pages and keeps nested sequential scans: 17.8 s per
     * claim in the latency benchmark (auto_explain: "Nested Loop Anti Join, Seq Scan on outbox_event
     * e ... Seq Scan on outbox_event p", cost 0.00) until autoanalyze invalidated it. Planning each
     * time costs about a millisecond and sees the table's current size. A no-op elsewhere, or when
     * the statement is not pgjdbc's (reached by reflection: the driver is a runtime dependency).
     */
    void planEachExecution(PreparedStatement ps) throws SQLException {
        if (this != POSTGRES) {
            return;
        }
        try {
            Class<?> pgStatement = Class.forName("org.postgresql.PGStatement");
            if (ps.isWrapperFor(pgStatement)) {
                pgStatement.getMethod("setPrepareThreshold", int.class).invoke(ps.unwrap(pgStatement), 0);
            }
        } catch (ReflectiveOperationException e) {
            // not pgjdbc: leave the driver's default
        }
    }

    /** Binds a list for {@link #inList}; returns the next parameter index. */
    int bindList(PreparedStatement ps, int index, String pgType, List<?> values) throws SQLException {
        if (this == POSTGRES) {
            ps.setArray(index, ps.getConnection().createArrayOf(pgType, values.toArray()));
            return index + 1;
        }
        if (values.isEmpty()) {
            ps.setObject(index, null);
            return index + 1;
        }
        for (Object v : values) {
            ps.setObject(index++, v);
        }
        return index;
    }
}
