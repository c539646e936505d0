package dev.letterbox.relay.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One committed outbox event on its way to Kafka, built from a table row (polling) or from a
 * change event or logical message (CDC).
 *
 * <p>Immutable apart from the payload array, which callers must not modify after construction;
 * therefore thread-safe when shared read-only.
 *
 * @param id            the event id, carried in the {@code id} header; never null
 * @param aggregateType the aggregate type, e.g. {@code order}; never null
 * @param aggregateId   the aggregate id, the Kafka key; never null
 * @param eventType     the event type, e.g. {@code OrderPlaced}; never null
 * @param payload       the Kafka value, as is; null for a tombstone
 * @param headers       the user's headers (trace context included), published in this map's iteration
 *                      order (copied, order kept); never null, maybe empty; no null names or values
 * @param topic         the row's topic override, or null to use the relay's topic template
 * @param createdAt     when the writing transaction ran; never null
 */
public record OutboxRecord(
        UUID id,
        String aggregateType,
        String aggregateId,
        String eventType,
        byte[] payload,
        Map<String, String> headers,
        String topic,
        Instant createdAt) {

    public OutboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        headers = headers == null || headers.isEmpty() ? Map.of() : orderedCopy(headers);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** An unmodifiable copy in the same iteration order ({@code Map.copyOf} would scramble it per JVM). */
    private static Map<String, String> orderedCopy(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>(headers.size() * 2);
        headers.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "header name"),
                Objects.requireNonNull(value, "header value")));
        return Collections.unmodifiableMap(copy);
    }

    /** The aggregate this record belongs to, as {@code aggregateType/aggregateId}: order is kept per aggregate. */
    public String aggregateKey() {
        return aggregateType + '/' + aggregateId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxRecord r
                && id.equals(r.id)
                && aggregateType.equals(r.aggregateType)
                && aggregateId.equals(r.aggregateId)
                && eventType.equals(r.eventType)
                && Arrays.equals(payload, r.payload)
                && headers.equals(r.headers)
                && Objects.equals(topic, r.topic)
                && createdAt.equals(r.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, aggregateType, aggregateId, eventType, Arrays.hashCode(payload), headers, topic, createdAt);
    }

    @Override
    public String toString() {
        return "OutboxRecord[id=" + id + ", aggregateType=" + aggregateType + ", aggregateId=" + aggregateId
                + ", eventType=" + eventType + ", payloadBytes=" + (payload == null ? -1 : payload.length)
                + ", headers=" + headers.keySet() + ", topic=" + topic + ", createdAt=" + createdAt + "]";
    }
}
