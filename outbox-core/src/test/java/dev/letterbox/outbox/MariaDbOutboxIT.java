package dev.letterbox.outbox;

import dev.letterbox.testsupport.MariaDbServer;
import dev.letterbox.testsupport.RequiresMariaDb;
import dev.letterbox.testsupport.TestDatabase;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.BeforeAll;

/** The acceptance suite on MariaDB (skipped, with the reason, when no MariaDB is available). */
@RequiresMariaDb
class MariaDbOutboxIT extends AbstractOutboxAcceptanceIT {
  private static TestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = MariaDbServer.sharedOrSkip().createDatabase("MariaDbOutboxIT");
  }

  @Override
  protected DataSource dataSource() {
    return database.dataSource();
  }

  @Override
  protected SQLDialect jooqDialect() {
    return SQLDialect.MARIADB;
  }

  @Override
  protected int insertAndDeleteRoundTrips() {
    return 2;
  }

  /** MariaDB's schema is a database: qualify with this test's own database by name. */
  @Override
  protected String createSchema(String hint) {
    return database.name();
  }

  @Override
  protected String daysAgo(int days) {
    return "now(6) - INTERVAL " + days + " DAY";
  }
}
