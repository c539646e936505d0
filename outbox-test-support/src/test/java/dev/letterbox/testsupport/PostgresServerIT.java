package dev.letterbox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerIT {

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = PostgresServer.shared().createDatabase("PostgresServerIT");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void createsAFreshDatabaseThatAnswersQueries() throws SQLException {
        assertThat(db.kind()).isEqualTo(DatabaseKind.POSTGRES);
        assertThat(db.name()).startsWith("postgresserverit_");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'one')");
            assertThat(single(s, "SELECT v FROM t WHERE id = 1")).isEqualTo("one");
            assertThat(single(s, "SELECT current_database()")).isEqualTo(db.name());
        }
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM t")).isEqualTo("1");
        }
    }

    @Test
    void givesEachCallItsOwnDatabase() throws SQLException {
        try (TestDatabase other = PostgresServer.shared().createDatabase("PostgresServerIT")) {
            assertThat(other.name()).isNotEqualTo(db.name());
            try (Connection c = other.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
            }
        }
    }

    @Test
    void createsDatabasesConcurrentlyWithDistinctNames() throws Exception {
        DatabaseServer server = PostgresServer.shared();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<TestDatabase>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> server.createDatabase("PostgresServerIT concurrent")));
            }
            Set<String> names = new HashSet<>();
            for (Future<TestDatabase> f : futures) {
                try (TestDatabase created = f.get(60, TimeUnit.SECONDS)) {
                    names.add(created.name());
                }
            }
            assertThat(names).hasSize(6).allMatch(n -> n.startsWith("postgresserverit_concurrent_"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dropsTheDatabaseOnCloseWhenTheServerOutlivesTheJvm() throws SQLException {
        DatabaseServer server = PostgresServer.shared();
        Assumptions.assumeTrue(server.source().startsWith("environment"),
                "only databases on a server given by URL are dropped; other servers go away whole");
        TestDatabase other = server.createDatabase("PostgresServerIT");
        try (Connection c = other.dataSource().getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        other.close();
        try (Connection c = java.sql.DriverManager.getConnection(server.adminJdbcUrl(), server.username(),
                server.password()); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM pg_database WHERE datname = '" + other.name() + "'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void runsWithLogicalWalLevelForCdc() throws SQLException {
        String walLevel;
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            walLevel = single(s, "SHOW wal_level");
        }
        Assumptions.assumeTrue(!PostgresServer.shared().source().startsWith("environment") || "logical".equals(walLevel),
                "the server in " + PostgresServer.URL_ENV + " runs with wal_level=" + walLevel
                        + "; only servers started by the tests are guaranteed to be logical");
        assertThat(walLevel).isEqualTo("logical");
    }

    @Test
    void embeddedServerKeepsItsDataAcrossRestarts(@TempDir Path dir) throws SQLException {
        try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(dir.resolve("data"), 0);
             Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        try (EmbeddedPostgresServer pg = PostgresServer.startEmbedded(dir.resolve("data"), 0);
             Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl());
             Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT id FROM kept")).isEqualTo("42");
            assertThat(single(s, "SHOW wal_level")).isEqualTo("logical");
        }
    }

    static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
