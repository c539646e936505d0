package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.Dialect;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;

/** What every acceptance test needs: the database, fresh tables per test, helpers. */
abstract class AcceptanceFixture {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  protected Outbox outbox;
  protected DSLContext dsl;
  protected OutboxTables tables;

  /** The database under test; the subclass owns it. */
  protected abstract DataSource dataSource();

  /** The jOOQ dialect the tests use for their own queries. */
  protected abstract SQLDialect jooqDialect();

  /** How many round trips WriteMode.INSERT_AND_DELETE takes for a batch on this database. */
  protected abstract int insertAndDeleteRoundTrips();

  /** Creates and returns a schema (PostgreSQL, H2) or database (MariaDB) for the tables. */
  protected abstract String createSchema(String hint);

  /** An SQL expression for the database time {@code days} days ago. */
  protected abstract String daysAgo(int days);

  protected Dialect dialect() {
    return switch (jooqDialect().family()) {
      case POSTGRES -> Dialect.POSTGRESQL;
      case MARIADB, MYSQL -> Dialect.MARIADB;
      default -> Dialect.H2;
    };
  }

  /** Every test gets its own prefix and freshly migrated tables. */
  @BeforeEach
  void migrateFreshTables() {
    tables = OutboxTables.of(null, "t" + nextPrefixNumber() + "_");
    OutboxSchema.of(tables).migrate(dataSource());
    outbox = Outbox.builder().tables(tables).build();
    dsl = DSL.using(dataSource(), jooqDialect());
  }

  protected static OutboxEvent event(String aggregateId) {
    return OutboxEvent.builder().aggregateType("order").aggregateId(aggregateId).eventType("OrderPlaced")
        .payload("{\"total\":10}").header("tenant", "acme").build();
  }

  protected String eventTable() {
    return dialect().table(tables, tables.eventTable());
  }

  protected String q(String identifier) {
    return dialect().quote(identifier);
  }

  protected List<Record> rows() {
    return dsl.fetch("SELECT * FROM " + eventTable() + " ORDER BY " + q("seq"));
  }

  protected int countEvents() {
    return dsl.fetchSingle("SELECT COUNT(*) FROM " + eventTable()).get(0, Integer.class);
  }

  protected static int nextPrefixNumber() {
    return PREFIXES.incrementAndGet();
  }

  /** An id literal for plain SQL on this database. */
  protected String idLiteral(String uuid) {
    return "'" + uuid + "'";
  }

  @FunctionalInterface
  protected interface JdbcWork {
    void run(Connection c) throws Exception;
  }

  protected void inTransaction(JdbcWork work) throws Exception {
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (Exception | Error e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
