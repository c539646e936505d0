package dev.letterbox.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A fresh database created for one test class, with its address, credentials and a small pool.
 *
 * <pre>{@code
 * static final TestDatabase DB = PostgresServer.shared().createDatabase("OutboxIT");
 * DSLContext ctx = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent; if a test does not call it, the JVM's exit does.
 */
public interface TestDatabase extends AutoCloseable {

    /** Returns which product the database lives on. */
    DatabaseKind kind();

    /** Returns the database's name on the server, for example {@code outboxit_k3x9q2_1}. */
    String name();

    /** Returns the JDBC URL of this database, without credentials (see {@link #username()}). */
    String jdbcUrl();

    /** Returns the user name to connect with; never null. */
    String username();

    /** Returns the password to connect with; empty, never null, when there is none. */
    String password();

    /** Returns the host name or address of the server, for clients that do not take a JDBC URL (Debezium). */
    String host();

    /** Returns the TCP port of the server. */
    int port();

    /** Returns the JDBC URL of the server's administrative database, without credentials. */
    String adminJdbcUrl();

    /**
     * Returns a pooled {@link DataSource} on this database (at most 8 connections, idle ones
     * retired after 10 s). It belongs to this object: do not close it yourself.
     */
    DataSource dataSource();

    /**
     * Opens a new unpooled connection to this database; the caller closes it.
     *
     * @throws SQLException if the server refuses the connection
     */
    Connection openConnection() throws SQLException;

    /**
     * Closes the pool and, on a server given by URL, drops the database; idempotent.
     * Failures to drop are logged, not thrown.
     */
    @Override
    void close();
}
