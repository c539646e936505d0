package dev.letterbox.relay.service.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which outbox events an operator command acts on; the conditions that are set are ANDed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ids           event ids; empty for any
 * @param aggregateType aggregate type, or null for any
 * @param aggregateId   aggregate id, or null for any
 * @param from          created at or after this instant, or null
 * @param to            created before this instant, or null
 */
public record EventFilter(List<UUID> ids, String aggregateType, String aggregateId, Instant from, Instant to) {

    public EventFilter {
        ids = ids == null ? List.of() : List.copyOf(ids);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("--from must be before --to, was " + from + " .. " + to);
        }
    }

    /** True when no condition is set: the filter matches every event. */
    public boolean matchesAll() {
        return ids.isEmpty() && aggregateType == null && aggregateId == null && from == null && to == null;
    }
}
