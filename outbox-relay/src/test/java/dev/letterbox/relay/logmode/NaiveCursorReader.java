package dev.letterbox.relay.logmode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately wrong reader: {@code seq > cursor ORDER BY seq}, with no horizon. It loses every
 * event whose transaction commits after one holding a higher seq was read, since its cursor has
 * passed it by then. {@link CommitHistoryCheckerIT} shows the checker catching it.
 *
 * <p>Not thread-safe (a {@link Reader} is polled by one thread).
 */
final class NaiveCursorReader implements Reader {

    private final String sql;
    private final int batchSize;
    private long cursor;

    NaiveCursorReader(EventTable table, int batchSize) {
        this.sql = table.selectEvents() + " WHERE " + table.seqColumn() + " > ? ORDER BY " + table.seqColumn()
                + " LIMIT " + batchSize;
        this.batchSize = batchSize;
    }

    @Override
    public List<ReadEvent> poll(Connection connection) throws SQLException {
        List<ReadEvent> events = new ArrayList<>(batchSize);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, cursor);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(new ReadEvent(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        if (!events.isEmpty()) {
            cursor = events.get(events.size() - 1).seq();
        }
        return events;
    }
}
