package dev.letterbox.relay.service.internal;

import java.time.Instant;

/**
 * A parked event as {@code parked list} shows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id            event id
 * @param aggregateType aggregate type
 * @param aggregateId   aggregate id (the Kafka key)
 * @param type          event type
 * @param topic         the row's topic override, or null
 * @param createdAt     when it was written
 * @param attempts      failed publish attempts
 * @param lastError     why it was parked
 */
public record ParkedEvent(String id, String aggregateType, String aggregateId, String type, String topic,
                          Instant createdAt, int attempts, String lastError) {
}
