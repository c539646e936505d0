package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.DatabaseKind;
import dev.letterbox.testsupport.DatabaseServer;
import dev.letterbox.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DatabaseServer} reached through an administrative JDBC address; creates databases with
 * {@code CREATE DATABASE} and tracks them so one shutdown hook closes their pools (and drops them,
 * if asked) before stopping the server itself.
 *
 * <p>Thread-safe.
 */
public final class JdbcDatabaseServer implements DatabaseServer {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDatabaseServer.class);

    private final JdbcAddress admin;
    private final String source;
    private final boolean dropDatabases;
    private final List<PooledTestDatabase> databases = new ArrayList<>();

    /**
     * Creates the server view and registers its shutdown hook.
     *
     * @param admin address of the administrative database, with credentials
     * @param source where the server came from and why, for logs
     * @param dropDatabases whether the databases created here are dropped on close / at exit
     *     (true for servers that outlive the JVM)
     * @param stopServer what stops the server after the databases are closed, run by the shutdown hook; may be null
     */
    public JdbcDatabaseServer(JdbcAddress admin, String source, boolean dropDatabases, AutoCloseable stopServer) {
        this.admin = admin;
        this.source = source;
        this.dropDatabases = dropDatabases;
        ShutdownHooks.register(admin.kind().name().toLowerCase(Locale.ROOT), () -> {
            closeAll();
            if (stopServer != null) {
                try {
                    stopServer.close();
                } catch (Exception e) {
                    LOG.warn("Stopping test database server failed: source={}", source, e);
                }
            }
        });
    }

    /** Closes every database created here, in creation order; used at shutdown. */
    public void closeAll() {
        List<PooledTestDatabase> toClose;
        synchronized (databases) {
            toClose = new ArrayList<>(databases);
        }
        toClose.forEach(PooledTestDatabase::close);
    }

    @Override
    public DatabaseKind kind() {
        return admin.kind();
    }

    @Override
    public String adminJdbcUrl() {
        return admin.jdbcUrl();
    }

    @Override
    public String username() {
        return admin.username();
    }

    @Override
    public String password() {
        return admin.password();
    }

    @Override
    public String host() {
        return admin.host();
    }

    @Override
    public int port() {
        return admin.port();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public TestDatabase createDatabase(String hint) {
        String name = UniqueNames.unique(hint, kind() == DatabaseKind.POSTGRES ? 63 : 64);
        String sql = kind() == DatabaseKind.POSTGRES
                ? "CREATE DATABASE \"" + name + "\""
                : "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4";
        try (Connection c = openAdminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Creating test database failed: database=" + name + ", server="
                    + admin + ", source=" + source + ": " + e.getMessage()
                    + "; the account needs the right to create databases", e);
        }
        PooledTestDatabase db = new PooledTestDatabase(admin.withDatabase(name), admin.jdbcUrl(),
                dropDatabases ? this::dropDatabase : null);
        synchronized (databases) {
            databases.add(db);
        }
        return db;
    }

    /**
     * Connects once, so a wrong address fails at once with a message naming where it came from.
     *
     * @param setting the environment variable that gave the address
     * @return this server
     * @throws IllegalStateException if the server cannot be reached
     */
    public JdbcDatabaseServer checkReachable(String setting) {
        try (Connection c = openAdminConnection()) {
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the " + kind() + " server in " + setting + " ("
                    + admin + "): " + e.getMessage() + "; start that server, fix the variable, or unset it", e);
        }
    }

    /** Opens an unpooled connection to the administrative database. */
    Connection openAdminConnection() throws SQLException {
        return DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
    }

    private void dropDatabase(String name) {
        try (Connection c = openAdminConnection(); Statement s = c.createStatement()) {
            if (kind() == DatabaseKind.POSTGRES) {
                PostgresDrop.drop(s, name);
            } else {
                s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            }
        } catch (SQLException e) {
            LOG.warn("Dropping test database failed: database={} server={} error={}", name, admin, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return kind() + " " + admin + " from " + source;
    }
}
