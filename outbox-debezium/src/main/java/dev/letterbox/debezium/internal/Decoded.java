package dev.letterbox.debezium.internal;

import dev.letterbox.relay.spi.OutboxRecord;
import java.time.Instant;
import java.util.UUID;

/** What one Debezium record means for the relay; immutable and thread-safe. */
sealed interface Decoded {

    /** Nothing to publish: a heartbeat, a delete, an update, another prefix, a row not PENDING. */
    record Skip(String why) implements Decoded {
    }

    /**
     * An event to publish.
     *
     * @param record      the event, built like polling builds it from a row
     * @param fromRow     true when it came from a table row (which can be marked), false for a logical message
     * @param committedAt when the source transaction committed per the log, or null when unknown
     */
    record Event(OutboxRecord record, boolean fromRow, Instant committedAt) implements Decoded {
    }

    /**
     * A row or message that is not a valid outbox event: logged with its log position and counted;
     * in TABLE mode a row whose id could be read is parked.
     *
     * @param reason   what is wrong, for the log and the row's {@code last_error}
     * @param position where in the log the change is
     * @param rowId    the row's id when it came from a table row with a readable id, else null
     */
    record Invalid(String reason, String position, UUID rowId) implements Decoded {
    }
}
