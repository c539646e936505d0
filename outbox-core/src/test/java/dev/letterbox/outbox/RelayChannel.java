package dev.letterbox.outbox;

import dev.letterbox.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A connection that listens on the relay's channel, {@code <prefix>event}, the way the relay's
 * listener does, and counts the wake-ups delivered to it.
 */
final class RelayChannel implements AutoCloseable {
  /** The payload of the marker {@link #wakeUps()} sends; the outbox sends an empty one. */
  private static final String MARKER = "marker";

  private final TestDatabase database;
  private final String channel;
  private final Connection connection;
  private final PGConnection pg;

  private RelayChannel(TestDatabase database, String channel) throws SQLException {
    this.database = database;
    this.channel = channel;
    this.connection = database.openConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
    }
    this.pg = connection.unwrap(PGConnection.class);
  }

  /** Listens on the channel of {@code tables}. */
  static RelayChannel listen(TestDatabase database, OutboxTables tables) throws SQLException {
    return new RelayChannel(database, tables.prefix() + "event");
  }

  /**
   * How many wake-ups were delivered since the last call. PostgreSQL delivers the notifications of
   * different transactions in commit order, so this notifies a marker from another connection and
   * counts what arrives before it: no sleep, and nothing committed earlier can arrive later.
   */
  int wakeUps() throws SQLException {
    try (Connection c = database.openConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, MARKER);
      ps.executeQuery().close();
    }
    int count = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      PGNotification[] batch = pg.getNotifications(500);
      for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
        if (MARKER.equals(n.getParameter())) {
          return count;
        }
        if (!n.getName().equals(channel) || !n.getParameter().isEmpty()) {
          throw new AssertionError("unexpected notification " + n.getName() + " '" + n.getParameter() + "'");
        }
        count++;
      }
    }
    throw new AssertionError("the marker notification on " + channel + " did not arrive within 30 s");
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
