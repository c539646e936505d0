package dev.letterbox.debezium.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL side of CDC that Debezium does not do the way we want: creates the publication
 * filtered to the outbox table (inserts only: updates and deletes are never published, so the
 * relay's own marks and {@code INSERT_AND_DELETE}'s deletes cost no decoding), and reads the
 * slot's lag. Thread-safe.
 */
final class PostgresSlot {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSlot.class);

    private final DataSource dataSource;
    private final DatabaseTarget target;
    private final String slot;
    private final String publication;

    PostgresSlot(DataSource dataSource, DatabaseTarget target, String slot, String publication) {
        this.dataSource = dataSource;
        this.target = target;
        this.slot = slot;
        this.publication = publication;
    }

    /** Creates the publication when absent; an existing one is left as it is. */
    void ensurePublication() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                ps.setString(1, publication);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            boolean tableExists;
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, target.quotedEventTable());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    tableExists = rs.getBoolean(1);
                }
            }
            String sql = "CREATE PUBLICATION " + target.quote(publication)
                    + (tableExists ? " FOR TABLE " + target.quotedEventTable() : "") + " WITH (publish = 'insert')";
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) { // duplicate_object: another instance created it meanwhile
                    throw e;
                }
            }
            LOG.atInfo().addKeyValue("publication", publication)
                    .addKeyValue("table", tableExists ? target.quotedEventTable() : "none, logical messages only")
                    .log("created publication (inserts only)");
        }
    }

    /** Bytes of WAL the slot retains beyond its confirmed position; NaN when the slot does not exist. */
    double lagBytes() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                     + " FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Double.NaN;
                }
                double v = rs.getDouble(1);
                return rs.wasNull() ? Double.NaN : v;
            }
        }
    }

    String slot() {
        return slot;
    }
}
