package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.outbox.InvalidConfigurationException;
import dev.letterbox.outbox.InvalidEventException;
import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaMissingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;

/** The stock {@link Inbox}: insert-if-absent, then the handler, in the caller's transaction; thread-safe. */
public final class DefaultInbox implements Inbox {
  private static final int MAX_BATCH = 100_000;

  private final OutboxTables tables;

  /** Creates the inbox of {@code tables}. */
  public DefaultInbox(OutboxTables tables) {
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  @Override
  public OutboxTables tables() {
    return tables;
  }

  @Override
  public boolean runOnce(DSLContext tx, String consumer, String eventId, Handler handler) {
    ConnectionProvider provider = tx.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try {
      return runOnce(connection, consumer, eventId, handler);
    } finally {
      provider.release(connection);
    }
  }

  @Override
  public boolean runOnce(Connection tx, String consumer, String eventId, Handler handler) {
    requireKey("inbox.consumer", consumer, true);
    requireKey("eventId", eventId, false);
    Objects.requireNonNull(handler, "handler");
    DefaultOutbox.requireTransaction(tx, "Inbox.runOnce");
    Dialect dialect = Dialect.detect(tx);
    String table = dialect.table(tables, tables.inboxTable());
    boolean first;
    try {
      first = insertIfAbsent(tx, dialect, table, consumer, eventId);
    } catch (SQLException e) {
      if (Dialect.isUndefinedTable(e)) {
        throw new SchemaMissingException(table, e);
      }
      throw new OutboxDatabaseException("recording event " + eventId + " for consumer " + consumer + " in " + table, e);
    }
    if (!first) {
      return false;
    }
    try {
      handler.handle();
    } catch (SQLException e) {
      throw new OutboxDatabaseException("the inbox handler of consumer " + consumer + " for event " + eventId, e);
    }
    return true;
  }

  private static boolean insertIfAbsent(Connection tx, Dialect dialect, String table, String consumer, String eventId)
      throws SQLException {
    String columns = " (" + dialect.quote("consumer") + ", " + dialect.quote("event_id") + ") VALUES (?, ?)";
    String sql = switch (dialect) {
      case POSTGRESQL -> "INSERT INTO " + table + columns + " ON CONFLICT DO NOTHING";
      case MARIADB -> "INSERT IGNORE INTO " + table + columns;
      case H2 -> "INSERT INTO " + table + columns;
    };
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      ps.setString(1, consumer);
      ps.setString(2, eventId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      // H2 has no insert-if-absent that reports whether it inserted; a failed statement does not
      // abort its transaction, so the duplicate-key error is the answer.
      if (dialect == Dialect.H2 && Dialect.isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public long purge(DataSource dataSource, Duration olderThan, int batchSize) {
    if (olderThan == null || olderThan.isNegative()) {
      throw new InvalidConfigurationException("inbox.purge.older-than", "must be zero or positive",
          String.valueOf(olderThan));
    }
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new InvalidConfigurationException("inbox.purge.batch-size", "must be between 1 and " + MAX_BATCH,
          String.valueOf(batchSize));
    }
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.detect(c);
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement(purgeSql(dialect))) {
        long total = 0;
        int deleted;
        do {
          ps.setLong(1, dialect == Dialect.MARIADB ? olderThan.toNanos() / 1000 : olderThan.toMillis());
          ps.setInt(2, batchSize);
          deleted = ps.executeUpdate();
          total += deleted;
        } while (deleted == batchSize);
        return total;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("purging inbox rows older than " + olderThan + " from "
          + tables.inboxTable(), e);
    }
  }

  private String purgeSql(Dialect dialect) {
    String table = dialect.table(tables, tables.inboxTable());
    String at = dialect.quote("processed_at");
    return switch (dialect) {
      case POSTGRESQL -> "DELETE FROM " + table + " WHERE (" + dialect.quote("consumer") + ", "
          + dialect.quote("event_id") + ") IN (SELECT " + dialect.quote("consumer") + ", " + dialect.quote("event_id")
          + " FROM " + table + " WHERE " + at + " < now() - ? * interval '1 millisecond' LIMIT ?)";
      case MARIADB -> "DELETE FROM " + table + " WHERE " + at + " < now(6) - INTERVAL ? MICROSECOND LIMIT ?";
      case H2 -> "DELETE FROM " + table + " WHERE " + at
          + " < DATEADD(MILLISECOND, -CAST(? AS BIGINT), CURRENT_TIMESTAMP) LIMIT ?";
    };
  }

  private static void requireKey(String field, String value, boolean config) {
    String rule = null;
    if (value == null || value.isBlank()) {
      rule = "must not be blank";
    } else if (value.length() > MAX_KEY_LENGTH) {
      rule = "must be at most " + MAX_KEY_LENGTH + " characters";
    }
    if (rule != null) {
      throw config ? new InvalidConfigurationException(field, rule, value) : new InvalidEventException(field, rule, value);
    }
  }
}
