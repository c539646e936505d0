package dev.letterbox.debezium.internal;

import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;

/** The CDC marks on PostgreSQL. */
class PostgresMarksIT extends AbstractMarksIT {

    @Override
    TestDatabase database(String hint) {
        return PostgresServer.shared().createDatabase(hint);
    }
}
