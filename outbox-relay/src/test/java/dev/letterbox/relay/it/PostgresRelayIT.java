package dev.letterbox.relay.it;

import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;

/** The acceptance suite on PostgreSQL. */
class PostgresRelayIT extends AbstractRelayIT {

    @Override
    protected TestDatabase createDatabase() {
        return PostgresServer.shared().createDatabase("PostgresRelayIT");
    }
}
