package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.CRC32;

/**
 * Serializes migrations of one set of tables across processes: PostgreSQL runs the whole migration
 * in one transaction holding {@code pg_advisory_xact_lock}; MariaDB holds {@code GET_LOCK} (its
 * DDL commits implicitly); H2 has no lock that survives its implicit DDL commits, so every
 * statement is idempotent and a collision between two migrations is retried. Not thread-safe:
 * one per migration.
 */
abstract class MigrationLock implements AutoCloseable {
  /** Seconds a MariaDB migration waits for another one to finish. */
  static final int LOCK_TIMEOUT_SECONDS = 120;
  private static final int PG_LOCK_CLASS = 0x4C424F58; // "LBOX"

  static MigrationLock acquire(Connection c, Dialect dialect, String versionTable) throws SQLException {
    return switch (dialect) {
      case POSTGRESQL -> new Postgres(c, key(versionTable));
      case MARIADB -> new MariaDb(c, "letterbox.outbox.migrate." + Integer.toHexString(
          key((c.getCatalog() == null ? "" : c.getCatalog()) + "." + versionTable)));
      case H2 -> new None(c);
    };
  }

  /** Makes the migration durable (PostgreSQL commits its transaction; the others already did). */
  abstract void commit() throws SQLException;

  @Override
  public abstract void close() throws SQLException;

  private static int key(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  private static final class Postgres extends MigrationLock {
    private final Connection c;
    private boolean committed;

    Postgres(Connection c, int key) throws SQLException {
      this.c = c;
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
        ps.setInt(1, PG_LOCK_CLASS);
        ps.setInt(2, key);
        ps.executeQuery().close();
      }
    }

    @Override
    void commit() throws SQLException {
      c.commit();
      committed = true;
    }

    @Override
    public void close() throws SQLException {
      if (!committed) {
        c.rollback();
      }
    }
  }

  private static final class MariaDb extends MigrationLock {
    private final Connection c;
    private final String name;

    MariaDb(Connection c, String name) throws SQLException {
      this.c = c;
      this.name = name;
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
        ps.setString(1, name);
        ps.setInt(2, LOCK_TIMEOUT_SECONDS);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getInt(1) != 1) {
            throw new OutboxException("another outbox migration held the lock '" + name + "' for more than "
                + LOCK_TIMEOUT_SECONDS + " s: check for a stuck migration (SELECT IS_USED_LOCK('" + name
                + "')) and retry");
          }
        }
      }
    }

    @Override
    void commit() {
      // DDL commits implicitly; the version row was written in auto-commit mode.
    }

    @Override
    public void close() throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
        ps.setString(1, name);
        ps.executeQuery().close();
      }
    }
  }

  private static final class None extends MigrationLock {
    None(Connection c) throws SQLException {
      c.setAutoCommit(true);
    }

    @Override
    void commit() {}

    @Override
    public void close() {}
  }
}
