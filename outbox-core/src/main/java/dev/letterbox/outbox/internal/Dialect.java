package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxException;
import dev.letterbox.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/** The databases the outbox supports, detected from a connection's metadata; immutable. */
public enum Dialect {
  /** PostgreSQL 13+ (the scripts use the built-in {@code gen_random_uuid()}). */
  POSTGRESQL("postgresql", '"'),
  /** MariaDB 10.6+ and MySQL 8 (one script: the syntax used is common to both). */
  MARIADB("mariadb", '`'),
  /** H2 2.x, for quick local use. */
  H2("h2", '"');

  /** SQL states of "no such table": PostgreSQL, MariaDB and H2, H2 on a database without any table. */
  private static final Set<String> UNDEFINED_TABLE_STATES = Set.of("42P01", "42S02", "42S04");
  /** Vendor codes of "no such table": MariaDB/MySQL 1146, H2 42102 and 42104 (database empty). */
  private static final Set<Integer> UNDEFINED_TABLE_CODES = Set.of(1146, 42102, 42104);

  private final String folder;
  private final char quote;

  Dialect(String folder, char quote) {
    this.folder = folder;
    this.quote = quote;
  }

  /** Detects the dialect from {@code connection}'s metadata (no round trip on the supported drivers). */
  public static Dialect detect(Connection connection) {
    String product;
    try {
      product = connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new OutboxDatabaseException("reading the database product name", e);
    }
    return fromProductName(product);
  }

  /** Maps a JDBC product name ({@code PostgreSQL}, {@code MariaDB}, {@code MySQL}, {@code H2}). */
  public static Dialect fromProductName(String product) {
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MARIADB;
    }
    if (p.equals("h2")) {
      return H2;
    }
    throw new OutboxException("the outbox supports PostgreSQL, MariaDB/MySQL and H2, but the connection reports '"
        + product + "': use one of those databases");
  }

  /** The folder of this dialect's SQL scripts under {@code /dev/letterbox/outbox/schema/}. */
  public String folder() {
    return folder;
  }

  /** Quotes an identifier that was validated as {@code [a-z_][a-z0-9_]*}. */
  public String quote(String identifier) {
    return quote + identifier + quote;
  }

  /** Renders a table name, schema-qualified when {@code tables} has a schema, always quoted. */
  public String table(OutboxTables tables, String name) {
    return tables.schema() == null ? quote(name) : quote(tables.schema()) + "." + quote(name);
  }

  /** Whether {@code e} says a table does not exist. */
  public static boolean isUndefinedTable(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (UNDEFINED_TABLE_STATES.contains(x.getSQLState()) || UNDEFINED_TABLE_CODES.contains(x.getErrorCode())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} is a unique-key violation. */
  public static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
  }
}
