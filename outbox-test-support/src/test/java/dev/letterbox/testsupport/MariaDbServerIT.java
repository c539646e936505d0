package dev.letterbox.testsupport;

import static dev.letterbox.testsupport.PostgresServerIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MariaDbServerIT {

    @Test
    void createsAFreshDatabaseThatAnswersQueries() throws SQLException {
        try (TestDatabase db = MariaDbServer.sharedOrSkip().createDatabase("MariaDbServerIT")) {
            assertThat(db.kind()).isEqualTo(DatabaseKind.MARIADB);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(10))");
                s.execute("INSERT INTO t VALUES (1, 'one')");
                assertThat(single(s, "SELECT v FROM t WHERE id = 1")).isEqualTo("one");
                assertThat(single(s, "SELECT DATABASE()")).isEqualTo(db.name());
            }
        }
    }

    @Test
    void reportsARowBasedBinaryLogForCdc() throws SQLException {
        DatabaseServer server = MariaDbServer.sharedWithBinlogOrSkip();
        try (Connection c = java.sql.DriverManager.getConnection(server.adminJdbcUrl(), server.username(),
                server.password()); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT @@binlog_format")).isEqualTo("ROW");
        }
    }

    @Test
    void dropsTheDatabaseOnCloseWhenTheServerOutlivesTheJvm() throws SQLException {
        DatabaseServer server = MariaDbServer.sharedOrSkip();
        Assumptions.assumeTrue(server.source().startsWith("environment"),
                "only databases on a server given by URL are dropped; a container goes away whole");
        TestDatabase db = server.createDatabase("MariaDbServerIT");
        db.close();
        try (Connection c = java.sql.DriverManager.getConnection(server.adminJdbcUrl(), server.username(),
                server.password()); Statement s = c.createStatement()) {
            String count = single(s, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                    + db.name() + "'");
            assertThat(count).isEqualTo("0");
        }
    }
}
