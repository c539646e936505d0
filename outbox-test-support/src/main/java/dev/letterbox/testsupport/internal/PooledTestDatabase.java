package dev.letterbox.testsupport.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.testsupport.DatabaseKind;
import dev.letterbox.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@link TestDatabase} whose HikariCP pool is created on first use.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class PooledTestDatabase implements TestDatabase {

    static final int MAX_POOL_SIZE = 8;

    private final JdbcAddress address;
    private final String adminJdbcUrl;
    private final Consumer<String> dropper;
    private HikariDataSource pool;
    private boolean closed;

    PooledTestDatabase(JdbcAddress address, String adminJdbcUrl, Consumer<String> dropper) {
        this.address = address;
        this.adminJdbcUrl = adminJdbcUrl;
        this.dropper = dropper;
    }

    @Override
    public DatabaseKind kind() {
        return address.kind();
    }

    @Override
    public String name() {
        return address.database();
    }

    @Override
    public String jdbcUrl() {
        return address.jdbcUrl();
    }

    @Override
    public String username() {
        return address.username();
    }

    @Override
    public String password() {
        return address.password();
    }

    @Override
    public String host() {
        return address.host();
    }

    @Override
    public int port() {
        return address.port();
    }

    @Override
    public String adminJdbcUrl() {
        return adminJdbcUrl;
    }

    @Override
    public synchronized DataSource dataSource() {
        if (closed) {
            throw new IllegalStateException("Test database " + name() + " is closed; create another with createDatabase");
        }
        if (pool == null) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("test-db-" + name());
            config.setJdbcUrl(jdbcUrl());
            config.setUsername(username());
            config.setPassword(password());
            config.setMaximumPoolSize(MAX_POOL_SIZE);
            config.setMinimumIdle(0);
            config.setIdleTimeout(10_000);
            config.setConnectionTimeout(15_000);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    @Override
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(), password());
    }

    @Override
    public void close() {
        HikariDataSource toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = pool;
        }
        if (toClose != null) {
            toClose.close();
        }
        if (dropper != null) {
            dropper.accept(name());
        }
    }

    @Override
    public String toString() {
        return kind() + " test database " + address;
    }
}
