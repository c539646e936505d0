package dev.letterbox.relay.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's database-facing commands and refusals on a real PostgreSQL (and MariaDB where present). */
class ServiceDatabaseIT {

    @TempDir
    Path dir;

    private Path config(TestDatabase db, String user, String password) {
        return ConfigFiles.write(dir, db.name() + ".yaml",
                ConfigFiles.relay(db.jdbcUrl(), user, password, "127.0.0.1:1", "it-db", ""));
    }

    private static void sql(TestDatabase db, String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void runRefusesAMissingSchemaWithTheMigrateHintThenMigrateStatusAndParkedWork() throws SQLException {
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_schema")) {
            Path file = config(db, db.username(), db.password());

            RelayProcess run = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());
            assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
            assertThat(run.stderrText()).contains("run `java -jar outbox-relay.jar migrate --config " + file + "`");

            RelayProcess migrate = RelayProcess.runToEnd(Map.of(), "migrate", "--config", file.toString());
            assertThat(migrate.exitCode()).as(migrate.output()).isZero();
            assertThat(migrate.stdoutText()).contains("migrated from version 0 to " + dev.letterbox.outbox.OutboxSchema.latestVersion());

            sql(db, "INSERT INTO outbox_event (aggregatetype, aggregateid, type, payload) VALUES"
                            + " ('order', 'o-1', 'OrderPlaced', 'a'), ('order', 'o-2', 'OrderPlaced', 'b'),"
                            + " ('invoice', 'i-1', 'InvoiceSent', 'c')",
                    "UPDATE outbox_event SET status = 'PARKED', attempts = 3, last_error = 'RecordTooLargeException'"
                            + " WHERE aggregateid IN ('o-2', 'i-1')");

            RelayProcess status = RelayProcess.runToEnd(Map.of(), "status", "--config", file.toString());
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.stdoutText()).containsPattern("backlog\\s+1 unpublished").containsPattern("parked\\s+2")
                    .containsPattern("outbox.event.order\\s+1\\s+1").containsPattern("outbox.event.invoice\\s+0\\s+1");

            RelayProcess list = RelayProcess.runToEnd(Map.of(), "parked", "list", "--config", file.toString(),
                    "--aggregate-type", "order");
            assertThat(list.stdoutText()).contains("o-2").contains("RecordTooLargeException").doesNotContain("i-1")
                    .contains("1 parked event(s) shown");

            RelayProcess refused = RelayProcess.runToEnd(Map.of(), "parked", "drop", "--config", file.toString());
            assertThat(refused.exitCode()).as("drop without a filter").isEqualTo(2);

            RelayProcess retry = RelayProcess.runToEnd(Map.of(), "parked", "retry", "--config", file.toString(),
                    "--aggregate", "o-2");
            assertThat(retry.exitCode()).as(retry.output()).isZero();
            assertThat(retry.stdoutText()).contains("1 parked event(s) made pending again");

            RelayProcess drop = RelayProcess.runToEnd(Map.of(), "parked", "drop", "--config", file.toString(), "--all");
            assertThat(drop.stdoutText()).contains("1 parked event(s) dropped");
            RelayProcess again = RelayProcess.runToEnd(Map.of(), "parked", "drop", "--config", file.toString(), "--all");
            assertThat(again.exitCode()).as("nothing left to drop").isEqualTo(8);

            sql(db, "INSERT INTO outbox_schema_version (version, description) VALUES (99, 'from the future')");
            RelayProcess newer = RelayProcess.runToEnd(Map.of(), "run", "--config", file.toString());
            assertThat(newer.exitCode()).as(newer.output()).isEqualTo(5);
            assertThat(newer.stderrText()).contains("version 99").contains("newer Letterbox");
        }
    }

    @Test
    void refusesAnUnknownDatabaseUserAtOnceWithoutRetrying() {
        try (TestDatabase db = PostgresServer.shared().createDatabase("svc_user")) {
            Path file = config(db, "no_such_user", "wrong");

            RelayProcess run = RelayProcess.start(Map.of(), "run", "--config", file.toString());
            int code = run.awaitExit(Duration.ofSeconds(30));

            assertThat(code).as(run.output()).isEqualTo(6);
            assertThat(run.stderrText()).contains("refused user 'no_such_user'")
                    .contains("check database.username and database.password");
        }
    }

    @Test
    void refusesAWrongPasswordOnMariaDb() throws SQLException {
        try (TestDatabase db = MariaDbServer.sharedOrSkip().createDatabase("svc_pw")) {
            sql(db, "CREATE USER IF NOT EXISTS 'letterbox_svc'@'%' IDENTIFIED BY 'right-password'",
                    "CREATE USER IF NOT EXISTS 'letterbox_svc'@'localhost' IDENTIFIED BY 'right-password'");
            Path file = config(db, "letterbox_svc", "wrong-password");

            RelayProcess status = RelayProcess.runToEnd(Map.of(), "status", "--config", file.toString());

            assertThat(status.exitCode()).as(status.output()).isEqualTo(6);
            assertThat(status.stderrText()).contains("refused user 'letterbox_svc'").doesNotContain("wrong-password");
        }
    }
}
