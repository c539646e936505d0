package dev.letterbox.debezium.internal;

import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;

/** The CDC marks on MariaDB. */
@RequiresMariaDb
class MariaDbMarksIT extends AbstractMarksIT {

    @Override
    TestDatabase database(String hint) {
        return MariaDbServer.sharedOrSkip().createDatabase(hint);
    }
}
