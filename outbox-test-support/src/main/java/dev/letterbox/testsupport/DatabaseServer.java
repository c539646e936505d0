package dev.letterbox.testsupport;

/**
 * A running database server on which tests create their own databases.
 *
 * <pre>{@code
 * TestDatabase db = PostgresServer.shared().createDatabase(getClass().getSimpleName());
 * try (Connection c = db.dataSource().getConnection()) { ... }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface DatabaseServer {

    /** Returns which product this server is. */
    DatabaseKind kind();

    /**
     * Returns the JDBC URL of the server's administrative database (the one named in the
     * environment variable, or {@code postgres} / {@code test} for servers started here), without
     * credentials.
     */
    String adminJdbcUrl();

    /** Returns the user name of the administrative account; never null. */
    String username();

    /** Returns the password of the administrative account; empty, never null, when there is none. */
    String password();

    /** Returns the host name or address clients connect to, for example {@code 127.0.0.1}. */
    String host();

    /** Returns the TCP port clients connect to. */
    int port();

    /**
     * Returns where this server came from and why, for example
     * {@code "environment (OUTBOX_TEST_POSTGRES_URL is set)"}.
     */
    String source();

    /**
     * Creates a fresh, empty, uniquely named database on this server.
     *
     * <p>The name is built from {@code hint} (lower-cased, characters other than letters, digits
     * and underscore replaced, shortened to fit the product's identifier limit) plus a unique
     * suffix, so two JVMs sharing a server never collide. The returned database's pool is closed,
     * and on a server given by URL the database is dropped, at JVM exit or on
     * {@link TestDatabase#close()}.
     *
     * @param hint a readable part of the name, usually the test class name; null or blank means {@code "test"}
     * @return the new database, with a small connection pool
     * @throws IllegalStateException if the server refuses to create it
     */
    TestDatabase createDatabase(String hint);
}
