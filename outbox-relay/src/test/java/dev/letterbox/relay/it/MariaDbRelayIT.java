package dev.letterbox.relay.it;

import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;

/** The acceptance suite on MariaDB (skipped when no MariaDB is available). */
@RequiresMariaDb
class MariaDbRelayIT extends AbstractRelayIT {

    @Override
    protected TestDatabase createDatabase() {
        return MariaDbServer.sharedOrSkip().createDatabase("MariaDbRelayIT");
    }
}
