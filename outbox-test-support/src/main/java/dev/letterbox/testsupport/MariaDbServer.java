package dev.letterbox.testsupport;

import dev.letterbox.testsupport.internal.Containers;
import dev.letterbox.testsupport.internal.Docker;
import dev.letterbox.testsupport.internal.JdbcAddress;
import dev.letterbox.testsupport.internal.JdbcDatabaseServer;
import dev.letterbox.testsupport.internal.Lazy;
import dev.letterbox.testsupport.internal.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real MariaDB server, started at most once per JVM, or skips them.
 *
 * <p>{@link #shared()} picks, on first call: the server in {@value #URL_ENV} if set; else a
 * Testcontainers {@code mariadb:10.11} container (row-based binary log on) if Docker works; else
 * none. {@link #sharedOrSkip()} turns "none" into a skipped test with the reason.
 *
 * <pre>{@code
 * TestDatabase db = MariaDbServer.sharedOrSkip().createDatabase("OutboxIT");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MariaDbServer {

    /** JDBC URL of a MariaDB server to use, e.g. {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}. */
    public static final String URL_ENV = "OUTBOX_TEST_MARIADB_URL";
    /** User name for {@value #URL_ENV}, overriding the URL's {@code user} parameter. */
    public static final String USER_ENV = "OUTBOX_TEST_MARIADB_USER";
    /** Password for {@value #URL_ENV}, overriding the URL's {@code password} parameter. */
    public static final String PASSWORD_ENV = "OUTBOX_TEST_MARIADB_PASSWORD";

    static final String UNAVAILABLE = "MariaDB not available: set " + URL_ENV
            + "=jdbc:mariadb://host:3306/db?user=..&password=.. or run Docker";

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServer.class);
    private static final Lazy<Optional<DatabaseServer>> SHARED = Lazy.of(MariaDbServer::choose);

    private MariaDbServer() {
    }

    /**
     * Returns this JVM's shared MariaDB server, starting it on the first call, or empty when there
     * is neither {@value #URL_ENV} nor Docker.
     *
     * @throws IllegalStateException if a configured server cannot be started (also on later calls)
     * @throws IllegalArgumentException if {@value #URL_ENV} is not a MariaDB/MySQL JDBC URL
     */
    public static Optional<DatabaseServer> shared() {
        return SHARED.get();
    }

    /**
     * Returns {@link #shared()}'s server, or aborts the calling JUnit test (reported as skipped,
     * with the reason and how to provide a server) when there is none.
     */
    public static DatabaseServer sharedOrSkip() {
        Optional<DatabaseServer> server = shared();
        if (server.isEmpty()) {
            Assumptions.abort(UNAVAILABLE);
        }
        return server.get();
    }

    /**
     * Returns {@link #sharedOrSkip()}'s server if it writes a row-based binary log (what CDC reads);
     * otherwise aborts the calling JUnit test, which is then reported as skipped with the reason.
     */
    public static DatabaseServer sharedWithBinlogOrSkip() {
        DatabaseServer server = sharedOrSkip();
        String logBin;
        String format;
        try (Connection c = DriverManager.getConnection(server.adminJdbcUrl(), server.username(), server.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format")) {
            rs.next();
            logBin = rs.getString(1);
            format = rs.getString(2);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading log_bin from " + server.adminJdbcUrl() + " failed: "
                    + e.getMessage(), e);
        }
        Assumptions.assumeTrue("1".equals(logBin) && "ROW".equalsIgnoreCase(format), () -> "MariaDB at "
                + server.adminJdbcUrl() + " has log_bin=" + logBin + ", binlog_format=" + format
                + "; CDC needs log_bin on and binlog_format=ROW (server options --log-bin --binlog-format=ROW "
                + "--server-id=1), or unset " + URL_ENV);
        return server;
    }

    private static Optional<DatabaseServer> choose() {
        long start = System.nanoTime();
        DatabaseServer server;
        if (Settings.get(URL_ENV).isPresent()) {
            JdbcAddress admin = JdbcAddress.parse(URL_ENV, Settings.get(URL_ENV).get(),
                    Settings.get(USER_ENV).orElse(null), Settings.get(PASSWORD_ENV).orElse(null), "root");
            if (admin.kind() != DatabaseKind.MARIADB) {
                throw new IllegalArgumentException(URL_ENV + " must start with jdbc:mariadb:// or jdbc:mysql://, was '"
                        + admin.jdbcUrl() + "'");
            }
            server = new JdbcDatabaseServer(admin, "environment (" + URL_ENV + " is set)",
                    !Settings.isTrue(PostgresServer.KEEP_DATABASES_ENV), null).checkReachable(URL_ENV);
        } else if (Docker.available()) {
            server = Containers.mariaDb("testcontainers (" + URL_ENV + " unset, Docker available)");
        } else {
            LOG.info("MariaDB for tests: source=none reason='{} unset, Docker not available' (MariaDB tests are skipped)",
                    URL_ENV);
            return Optional.empty();
        }
        LOG.info("MariaDB for tests: source={} url={} startMs={}", server.source(), server.adminJdbcUrl(),
                (System.nanoTime() - start) / 1_000_000);
        return Optional.of(server);
    }
}
