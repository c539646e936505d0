package dev.letterbox.relay.internal;

import dev.letterbox.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The relay's access to its database: borrows a connection per unit of work, in auto-commit mode
 * and, on MariaDB, READ COMMITTED (claims and marks under REPEATABLE READ run into lock waits).
 * Thread-safe.
 */
final class Db {

    /** A unit of work on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final OutboxTables tables;
    private volatile SqlDialect dialect;

    Db(DataSource dataSource, OutboxTables tables) {
        this.dataSource = dataSource;
        this.tables = tables;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The dialect; detected on first use (needs the database). */
    SqlDialect dialect() throws SQLException {
        SqlDialect d = dialect;
        if (d == null) {
            try (Connection c = dataSource.getConnection()) {
                d = SqlDialect.detect(c);
            }
            dialect = d;
        }
        return d;
    }

    String eventTable() throws SQLException {
        return table(tables.eventTable());
    }

    String leaseTable() throws SQLException {
        return table(tables.leaseTable());
    }

    String inboxTable() throws SQLException {
        return table(tables.inboxTable());
    }

    /** A name in the outbox's schema, quoted (and qualified when a schema is configured). */
    String qualified(String name) throws SQLException {
        return table(name);
    }

    private String table(String name) throws SQLException {
        SqlDialect d = dialect();
        return tables.schema() == null ? d.quote(name) : d.quote(tables.schema()) + "." + d.quote(name);
    }

    /**
     * {@link #run} as one transaction: committed when {@code work} returns, rolled back when it
     * throws. For units of several statements that would otherwise each commit on their own: on
     * PostgreSQL every commit counts, and an idle relay's work is mostly such units.
     */
    <T> T inTransaction(Work<T> work) throws SQLException {
        return run(c -> inTransaction(c, work));
    }

    /** {@code work} as one transaction on {@code c}, whose auto-commit setting is restored afterwards. */
    static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    <T> T run(Work<T> work) throws SQLException {
        SqlDialect d = dialect();
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            // asked on MariaDB only: PostgreSQL's driver answers getTransactionIsolation() with a round trip
            // (SHOW TRANSACTION ISOLATION LEVEL) before every unit of work, and the relay needs none there
            int isolation = d == SqlDialect.MARIADB ? c.getTransactionIsolation() : Connection.TRANSACTION_READ_COMMITTED;
            boolean changeIsolation = d == SqlDialect.MARIADB && isolation != Connection.TRANSACTION_READ_COMMITTED;
            if (changeIsolation) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            try {
                return work.run(c);
            } finally {
                if (changeIsolation) {
                    c.setTransactionIsolation(isolation);
                }
            }
        }
    }
}
