package dev.letterbox.relay.service.it;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Plain-SQL helpers on the outbox tables, as a service or an operator would use them. */
final class Outboxes {

    private Outboxes() {
    }

    static void migrate(DataSource ds) {
        OutboxSchema.of(OutboxTables.ofDefaults()).migrate(ds);
    }

    /** Inserts events {@code from..to-1} for each aggregate, payload {@code <aggregate>:<n>}, one transaction per round. */
    static void insert(DataSource ds, String aggregateType, int aggregates, int from, int to) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_event (aggregatetype, aggregateid, type,"
                    + " payload) VALUES (?, ?, 'Happened', ?)")) {
                for (int n = from; n < to; n++) {
                    for (int a = 0; a < aggregates; a++) {
                        ps.setString(1, aggregateType);
                        ps.setString(2, "agg-" + a);
                        ps.setBytes(3, ("agg-" + a + ":" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
