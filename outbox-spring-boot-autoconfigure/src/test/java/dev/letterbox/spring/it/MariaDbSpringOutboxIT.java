package dev.letterbox.spring.it;

import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The acceptance suite on MariaDB ({@code OUTBOX_TEST_MARIADB_URL}); skipped without a server. */
@RequiresMariaDb
class MariaDbSpringOutboxIT extends AbstractSpringOutboxIT {

  static TestDatabase db;
  static EmbeddedKafkaBroker broker;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    db = MariaDbServer.sharedOrSkip().createDatabase("SpringOutboxIT");
    broker = startBroker();
    register(registry, db, broker);
  }

  @Override
  TestDatabase db() {
    return db;
  }

  @Override
  EmbeddedKafkaBroker broker() {
    return broker;
  }
}
