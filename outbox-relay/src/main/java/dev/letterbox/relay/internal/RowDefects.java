package dev.letterbox.relay.internal;

import java.util.UUID;

/**
 * Rows that cannot be published as they are, found when a claimed row is read: they are parked at
 * once with the reason, like a row whose headers are malformed, never sent.
 *
 * <p>Regression (issue 11, item 11): a row inserted by SQL with an empty {@code aggregatetype} was
 * published to the junk topic {@code outbox.event.}, and one with an empty {@code aggregateid} with
 * an empty key, silently, though {@code OutboxEvent} refuses both.
 *
 * <p>Stateless and thread-safe.
 */
final class RowDefects {

    private RowDefects() {
    }

    /** Why the row's identity columns make it unpublishable, or null when they are fine. */
    static String identity(UUID id, String aggregateType, String aggregateId) {
        if (aggregateType == null || aggregateType.isBlank()) {
            return "the aggregatetype column of event " + id + " is empty, so it has no topic: the event was parked"
                    + " without being sent; set the column (or the row's topic), then `parked retry` it";
        }
        if (aggregateId == null || aggregateId.isBlank()) {
            return "the aggregateid column of event " + id + " is empty, so it has no Kafka key: the event was parked"
                    + " without being sent; set the column, then `parked retry` it";
        }
        return null;
    }
}
