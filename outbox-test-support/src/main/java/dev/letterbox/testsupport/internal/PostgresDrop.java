package dev.letterbox.testsupport.internal;

import java.sql.SQLException;
import java.sql.Statement;

/** Drops a PostgreSQL test database together with its sessions and replication slots. */
final class PostgresDrop {

    private static final int ATTEMPTS = 10;

    private PostgresDrop() {
    }

    /**
     * Ends the database's sessions (including WAL senders of a CDC test that did not stop), drops
     * its replication slots, so they do not hold WAL on a long-lived server, then the database.
     * Slots stay active briefly after their sender ends, hence a few attempts.
     */
    static void drop(Statement s, String name) throws SQLException {
        String literal = "'" + name.replace("'", "''") + "'";
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal
                        + " AND pid <> pg_backend_pid()");
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = "
                        + literal + " AND NOT active");
                s.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
                return;
            } catch (SQLException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
