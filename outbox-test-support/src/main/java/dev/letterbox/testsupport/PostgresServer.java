package dev.letterbox.testsupport;

import dev.letterbox.testsupport.internal.Containers;
import dev.letterbox.testsupport.internal.Docker;
import dev.letterbox.testsupport.internal.EmbeddedPostgresLauncher;
import dev.letterbox.testsupport.internal.JdbcAddress;
import dev.letterbox.testsupport.internal.JdbcDatabaseServer;
import dev.letterbox.testsupport.internal.Lazy;
import dev.letterbox.testsupport.internal.Settings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real PostgreSQL server, started at most once per JVM.
 *
 * <p>{@link #shared()} picks, on first call: the server in {@value #URL_ENV} if set; else a
 * Testcontainers {@code postgres:16} container if Docker works; else an embedded server started
 * from the PostgreSQL binaries in a Maven artifact. Containers and embedded servers run with
 * {@code wal_level=logical} so CDC tests can use them. The embedded server runs with
 * {@code fsync=off} and {@code synchronous_commit=off}: that is safe only because it is a throw-away
 * test server whose data directory is deleted at exit.
 *
 * <pre>{@code
 * TestDatabase db = PostgresServer.shared().createDatabase("OutboxIT");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresServer {

    /** JDBC URL of a PostgreSQL server to use, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    public static final String URL_ENV = "OUTBOX_TEST_POSTGRES_URL";
    /** User name for {@value #URL_ENV}, overriding the URL's {@code user} parameter. */
    public static final String USER_ENV = "OUTBOX_TEST_POSTGRES_USER";
    /** Password for {@value #URL_ENV}, overriding the URL's {@code password} parameter. */
    public static final String PASSWORD_ENV = "OUTBOX_TEST_POSTGRES_PASSWORD";
    /** When {@code true}, databases created on a server given by URL are kept at exit instead of dropped. */
    public static final String KEEP_DATABASES_ENV = "OUTBOX_TEST_KEEP_DATABASES";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Lazy<DatabaseServer> SHARED = Lazy.of(PostgresServer::choose);

    private PostgresServer() {
    }

    /**
     * Returns this JVM's shared PostgreSQL server, starting it on the first call.
     *
     * @throws IllegalStateException if the server cannot be reached or started (also on later calls)
     * @throws IllegalArgumentException if {@value #URL_ENV} is not a PostgreSQL JDBC URL
     */
    public static DatabaseServer shared() {
        return SHARED.get();
    }

    /**
     * Returns {@link #shared()} if it runs with {@code wal_level=logical}; otherwise aborts the
     * calling JUnit test, which is then reported as skipped with the reason.
     */
    public static DatabaseServer sharedWithLogicalDecodingOrSkip() {
        DatabaseServer server = shared();
        String walLevel = walLevel(server);
        Assumptions.assumeTrue("logical".equals(walLevel), () -> "PostgreSQL at " + server.adminJdbcUrl()
                + " has wal_level=" + walLevel + ", logical decoding needs wal_level=logical: "
                + "ALTER SYSTEM SET wal_level = logical and restart it, or unset " + URL_ENV);
        return server;
    }

    /**
     * Starts a dedicated embedded PostgreSQL (not the shared one), for example for the quickstart.
     * An existing cluster in {@code dataDirectory} is reused, so data survives a restart; the caller
     * closes the server (it is also stopped at JVM exit).
     *
     * @param dataDirectory where the cluster lives; created and initialized if empty
     * @param port TCP port on 127.0.0.1, or 0 for a free one
     * @throws java.io.UncheckedIOException if the server does not start
     */
    public static EmbeddedPostgresServer startEmbedded(Path dataDirectory, int port) {
        return EmbeddedPostgresLauncher.start(dataDirectory, port, false, "embedded (started explicitly)");
    }

    private static DatabaseServer choose() {
        long start = System.nanoTime();
        DatabaseServer server;
        if (Settings.get(URL_ENV).isPresent()) {
            JdbcAddress admin = JdbcAddress.parse(URL_ENV, Settings.get(URL_ENV).get(),
                    Settings.get(USER_ENV).orElse(null), Settings.get(PASSWORD_ENV).orElse(null), "postgres");
            if (admin.kind() != DatabaseKind.POSTGRES) {
                throw new IllegalArgumentException(URL_ENV + " must start with jdbc:postgresql://, was '"
                        + admin.jdbcUrl() + "'");
            }
            server = new JdbcDatabaseServer(admin, "environment (" + URL_ENV + " is set)",
                    !Settings.isTrue(KEEP_DATABASES_ENV), null).checkReachable(URL_ENV);
        } else if (Docker.available()) {
            server = Containers.postgres("testcontainers (" + URL_ENV + " unset, Docker available)");
        } else {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                    "letterbox-pg-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            server = EmbeddedPostgresLauncher.start(dir, 0, true,
                    "embedded (" + URL_ENV + " unset, Docker not available)");
        }
        LOG.info("PostgreSQL for tests: source={} url={} startMs={}", server.source(), server.adminJdbcUrl(),
                (System.nanoTime() - start) / 1_000_000);
        return server;
    }

    private static String walLevel(DatabaseServer server) {
        try (Connection c = java.sql.DriverManager.getConnection(server.adminJdbcUrl(), server.username(),
                server.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading wal_level from " + server.adminJdbcUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }
}
