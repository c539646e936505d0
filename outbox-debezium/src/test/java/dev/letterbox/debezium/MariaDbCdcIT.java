package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.outbox.WriteMode;
import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The CDC suite on MariaDB (binlog, ROW format). Skipped with the reason when the server writes
 * no row-based binary log; Debezium connects as a user with a password (its JDBC stores need one).
 */
@RequiresMariaDb
class MariaDbCdcIT extends AbstractCdcIT {

    static final String CDC_USER = "letterbox_cdc";
    static final String CDC_PASSWORD = "letterbox-cdc-secret";

    @Override
    TestDatabase database(String hint) {
        return MariaDbServer.sharedWithBinlogOrSkip().createDatabase(hint);
    }

    @Override
    void prepare(CdcFixture fixture) throws Exception {
        fixture.execute("CREATE USER IF NOT EXISTS '" + CDC_USER + "'@'%' IDENTIFIED BY '" + CDC_PASSWORD + "'");
        fixture.execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR"
                + " ON *.* TO '" + CDC_USER + "'@'%'");
        fixture.execute("GRANT ALL ON `" + fixture.db.name() + "`.* TO '" + CDC_USER + "'@'%'");
        fixture.extraProperties.put("database.user", CDC_USER);
        fixture.extraProperties.put("database.password", CDC_PASSWORD);
    }

    @Test
    void refusesLogicalMessageModeBecauseMariaDbHasNoLogicalMessages() {
        assertThatThrownBy(() -> f.startRelay("cdc-a", WriteMode.LOGICAL_MESSAGE))
                .isInstanceOf(CdcConfigException.class)
                .hasMessageContaining("debezium.letterbox.write-mode")
                .hasMessageContaining("PostgreSQL only");
    }
}
