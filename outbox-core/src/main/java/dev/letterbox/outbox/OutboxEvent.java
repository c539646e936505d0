package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.EventRules;
import dev.letterbox.outbox.internal.JsonPayloads;
import dev.letterbox.outbox.internal.UuidV7;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish: what happened ({@code eventType}) to which aggregate, with its payload
 * bytes, user headers and an optional topic override; immutable and thread-safe.
 *
 * <p>Column names follow Debezium's EventRouter: {@code id}, {@code aggregatetype},
 * {@code aggregateid} (the Kafka key), {@code type}, {@code payload} (the Kafka value, as is).
 *
 * <pre>{@code
 * OutboxEvent event = OutboxEvent.builder()
 *     .aggregateType("order").aggregateId(order.id()).eventType("OrderPlaced")
 *     .jsonPayload(order)          // or .payload(bytes) / .payload(String)
 *     .header("tenant", "acme")
 *     .build();
 * }</pre>
 *
 * @param id the event id, a time-ordered UUIDv7 when not given; never {@code null}
 * @param aggregateType the aggregate type, e.g. {@code order}; not blank, at most 255 characters
 * @param aggregateId the aggregate id, the Kafka record key; not blank, at most 255 characters
 * @param eventType the event type, e.g. {@code OrderPlaced}; not blank, at most 255 characters
 * @param payload the Kafka record value; {@code null} publishes a tombstone; copied on the way in
 *     and out
 * @param headers user headers (string values); never {@code null}; the names {@code id},
 *     {@code type} and {@code aggregatetype} are reserved for the library
 * @param topic a topic override, or {@code null} for the relay's topic template
 */
public record OutboxEvent(
    UUID id,
    String aggregateType,
    String aggregateId,
    String eventType,
    byte[] payload,
    Map<String, String> headers,
    String topic) {

  /** Validates every field and copies the mutable ones; fills a UUIDv7 id when {@code id} is null. */
  public OutboxEvent {
    id = id == null ? UuidV7.next() : id;
    EventRules.requireText("aggregateType", aggregateType);
    EventRules.requireText("aggregateId", aggregateId);
    EventRules.requireText("eventType", eventType);
    EventRules.requireTopic(topic);
    headers = EventRules.requireHeaders(headers);
    payload = payload == null ? null : payload.clone();
  }

  /** Starts a builder with no fields set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a builder holding this event's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder().id(id).aggregateType(aggregateType).aggregateId(aggregateId)
        .eventType(eventType).payload(payload).headers(headers).topic(topic);
  }

  /** Returns a copy of the payload bytes, or {@code null} for a tombstone. */
  @Override
  public byte[] payload() {
    return payload == null ? null : payload.clone();
  }

  /** The payload length in bytes, 0 for a tombstone; does not copy. */
  public int payloadSize() {
    return payload == null ? 0 : payload.length;
  }

  /** The payload decoded as UTF-8 text, or {@code null} for a tombstone. */
  public String payloadAsString() {
    return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutboxEvent that
        && id.equals(that.id)
        && aggregateType.equals(that.aggregateType)
        && aggregateId.equals(that.aggregateId)
        && eventType.equals(that.eventType)
        && Arrays.equals(payload, that.payload)
        && headers.equals(that.headers)
        && Objects.equals(topic, that.topic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, aggregateType, aggregateId, eventType, Arrays.hashCode(payload), headers, topic);
  }

  @Override
  public String toString() {
    return "OutboxEvent[id=" + id + ", aggregateType=" + aggregateType + ", aggregateId=" + aggregateId
        + ", eventType=" + eventType + ", payload=" + (payload == null ? "null" : payload.length + " bytes")
        + ", headers=" + headers + ", topic=" + topic + "]";
  }

  /** Builds an {@link OutboxEvent}; not thread-safe, use one builder per event. */
  public static final class Builder {
    private UUID id;
    private String aggregateType;
    private String aggregateId;
    private String eventType;
    private byte[] payload;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String topic;

    private Builder() {}

    /** Sets the event id; leave unset (or {@code null}) to get a time-ordered UUIDv7. */
    public Builder id(UUID id) {
      this.id = id;
      return this;
    }

    /** Sets the aggregate type, e.g. {@code order}; it picks the default topic. */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = aggregateType;
      return this;
    }

    /** Sets the aggregate id, the Kafka record key; events of one aggregate keep their order. */
    public Builder aggregateId(String aggregateId) {
      this.aggregateId = aggregateId;
      return this;
    }

    /** Sets the event type, e.g. {@code OrderPlaced}. */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /** Sets the payload bytes (copied); {@code null} publishes a Kafka tombstone. */
    public Builder payload(byte[] payload) {
      this.payload = payload == null ? null : payload.clone();
      return this;
    }

    /** Sets the payload to the UTF-8 bytes of {@code text}; {@code null} publishes a tombstone. */
    public Builder payload(String text) {
      this.payload = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Sets the payload to {@code value} serialized as JSON with Jackson; needs
     * {@code com.fasterxml.jackson.core:jackson-databind} on the classpath (an optional dependency).
     */
    public Builder jsonPayload(Object value) {
      this.payload = JsonPayloads.toJson(value);
      return this;
    }

    /** Adds (or replaces) one user header; a later {@code header} call with the same name wins. */
    public Builder header(String name, String value) {
      this.headers.put(name, value);
      return this;
    }

    /** Adds all entries of {@code headers} as user headers. */
    public Builder headers(Map<String, String> headers) {
      this.headers.putAll(headers);
      return this;
    }

    /** Sets a topic override; {@code null} (the default) uses the relay's topic template. */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Builds the event, generating a UUIDv7 id when none was set; throws {@link InvalidEventException}. */
    public OutboxEvent build() {
      return new OutboxEvent(id, aggregateType, aggregateId, eventType, payload, headers, topic);
    }
  }
}
