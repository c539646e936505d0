package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.DatabaseKind;
import java.util.Map;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts the Testcontainers database containers; only loaded when Docker is available. */
public final class Containers {

    /** PostgreSQL image for tests. */
    public static final String POSTGRES_IMAGE = "postgres:16";
    /** MariaDB image for tests. */
    public static final String MARIADB_IMAGE = "mariadb:10.11";

    private Containers() {
    }

    /** Starts PostgreSQL with logical decoding; the container stops at JVM exit. */
    public static JdbcDatabaseServer postgres(String source) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20", "-c", "max_connections=300", "-c", "fsync=off");
        container.start();
        JdbcAddress admin = new JdbcAddress(DatabaseKind.POSTGRES, container.getHost(),
                container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), container.getDatabaseName(),
                container.getUsername(), container.getPassword(), Map.of());
        return new JdbcDatabaseServer(admin, source, false, container::stop);
    }

    /** Starts MariaDB with a row-based binary log, connecting as root; the container stops at JVM exit. */
    public static JdbcDatabaseServer mariaDb(String source) {
        MariaDBContainer<?> container = new MariaDBContainer<>(DockerImageName.parse(MARIADB_IMAGE))
                .withUsername("root")
                .withPassword("test")
                .withCommand("--log-bin", "--binlog-format=ROW", "--server-id=1");
        container.start();
        JdbcAddress admin = new JdbcAddress(DatabaseKind.MARIADB, container.getHost(),
                container.getMappedPort(3306), container.getDatabaseName(), "root", container.getPassword(),
                Map.of());
        return new JdbcDatabaseServer(admin, source, false, container::stop);
    }
}
