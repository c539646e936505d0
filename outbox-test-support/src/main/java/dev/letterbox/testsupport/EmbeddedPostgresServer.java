package dev.letterbox.testsupport;

import java.nio.file.Path;

/**
 * A PostgreSQL server run by this JVM from the binaries in a Maven artifact, stopped by
 * {@link #close()} (or at JVM exit).
 *
 * <pre>{@code
 * try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(Path.of("target/pg"), 15432)) {
 *     DataSource ds = pg.createDatabase("shop").dataSource();
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public interface EmbeddedPostgresServer extends DatabaseServer, AutoCloseable {

    /**
     * Returns the JDBC URL of the {@code postgres} database including {@code user=postgres}, so it
     * works on its own, for example {@code jdbc:postgresql://127.0.0.1:15432/postgres?user=postgres}.
     */
    String jdbcUrl();

    /** Returns the server's data directory. */
    Path dataDirectory();

    /** Closes the pools of the databases created here, then stops the server; idempotent. */
    @Override
    void close();
}
