package dev.letterbox.outbox;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The acceptance suite on an in-memory H2 database. */
class H2OutboxIT extends AbstractOutboxAcceptanceIT {
  private static JdbcConnectionPool pool;

  @BeforeAll
  static void createDatabase() {
    pool = JdbcConnectionPool.create("jdbc:h2:mem:h2outboxit;DB_CLOSE_DELAY=-1", "sa", "");
    pool.setMaxConnections(10);
  }

  @AfterAll
  static void closeDatabase() {
    pool.dispose();
  }

  @Override
  protected DataSource dataSource() {
    return pool;
  }

  @Override
  protected SQLDialect jooqDialect() {
    return SQLDialect.H2;
  }

  @Override
  protected int insertAndDeleteRoundTrips() {
    return 2;
  }

  @Override
  protected String createSchema(String hint) {
    String name = hint + "_" + nextPrefixNumber();
    dsl.execute("CREATE SCHEMA " + q(name));
    return name;
  }

  @Override
  protected String daysAgo(int days) {
    return "DATEADD(DAY, -" + days + ", CURRENT_TIMESTAMP)";
  }
}
