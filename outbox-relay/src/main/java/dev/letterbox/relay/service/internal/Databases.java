package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.service.ServiceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens the service's connection pool and probes the database, telling a refusal (wrong password,
 * unknown database: retrying cannot help) from an outage (retrying can).
 *
 * <p>Stateless and thread-safe.
 */
public final class Databases {

    private Databases() {
    }

    /** The outbox table names of {@code db}. */
    public static OutboxTables tables(ServiceConfig.Database db) {
        return OutboxTables.of(db.schema(), db.tablePrefix());
    }

    /**
     * A pool for {@code db} that does not connect until first used; the caller closes it.
     *
     * @param name     the pool name in logs and metrics, e.g. {@code outbox-relay}
     * @param poolSize maximum connections
     */
    public static HikariDataSource pool(ServiceConfig.Database db, String name, int poolSize) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(db.url());
        c.setUsername(db.username());
        c.setPassword(db.password());
        c.setMaximumPoolSize(poolSize);
        c.setMinimumIdle(Math.min(2, poolSize));
        c.setConnectionTimeout(Math.max(250, db.connectTimeout().toMillis()));
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    /**
     * Opens and closes one connection without a pool.
     *
     * @throws DatabaseRefusedException when the database refused the credentials or the database name
     * @throws UnreachableException     when it did not answer
     */
    public static void probe(ServiceConfig.Database db) {
        Properties props = new Properties();
        if (db.username() != null) {
            props.setProperty("user", db.username());
        }
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        DriverManager.setLoginTimeout((int) Math.max(1, db.connectTimeout().toSeconds()));
        try (Connection ignored = DriverManager.getConnection(db.url(), props)) {
            return;
        } catch (SQLException e) {
            throw classify(db, e);
        }
    }

    /**
     * Turns a connection failure into {@link DatabaseRefusedException} or {@link UnreachableException}.
     * The driver's message is shown with the configured password and the URL's secrets hidden; when
     * it held one, the driver's exception is not kept as the cause, whose stack trace would show it.
     */
    public static RuntimeException classify(ServiceConfig.Database db, SQLException e) {
        String url = SecretMasking.mask("database.url", db.url());
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        java.util.Set<String> secrets = new java.util.LinkedHashSet<>(SecretMasking.urlSecrets(db.url()));
        secrets.addAll(SecretMasking.valueSecrets(db.password()));
        String raw = firstLine(e);
        String driver = SecretMasking.scrub(raw, secrets);
        String full = String.valueOf(e.getMessage());
        SQLException cause = SecretMasking.scrub(full, secrets).equals(full) ? e : null;
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return new DatabaseRefusedException("the database at " + url + " refused user '" + db.username()
                    + "' (" + driver + "): check database.username and database.password", cause);
        }
        if (state.equals("3D000") || e.getErrorCode() == 1049) {
            return new DatabaseRefusedException("the database named in " + url + " does not exist (" + driver
                    + "): check database.url", cause);
        }
        if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
            return new DatabaseRefusedException("no JDBC driver accepts the URL " + url
                    + ": database.url must start with jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:h2:", cause);
        }
        return new UnreachableException("the database at " + url + " is unreachable (" + driver + ")", cause);
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
