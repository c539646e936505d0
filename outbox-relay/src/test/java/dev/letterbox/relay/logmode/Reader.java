package dev.letterbox.relay.logmode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A reader of the outbox as a log, as {@link CommitHistoryChecker} drives it: each call returns the
 * events read since the previous call, in the order the reader would publish them.
 *
 * <p>A reader is stateful (it keeps its own cursor) and is called by one thread at a time; it
 * need not be thread-safe. The product's reader plugs in through a small adapter.
 *
 * <pre>{@code
 * CheckReport report = checker.run(HorizonReader.reference(table));
 * }</pre>
 */
public interface Reader {

    /**
     * Reads the next events after this reader's cursor and moves the cursor past them.
     *
     * @param connection the reader's own connection, in auto-commit mode, READ COMMITTED; not closed by the reader
     * @return the events read, in publishing order; empty when there is nothing to read yet
     * @throws SQLException if a statement fails (the checker then fails the run)
     */
    List<ReadEvent> poll(Connection connection) throws SQLException;

    /**
     * Whether this reader may return an event more than once (at-least-once): the checker then
     * counts repeats as duplicates instead of failing on them. False unless overridden.
     */
    default boolean atLeastOnce() {
        return false;
    }
}
