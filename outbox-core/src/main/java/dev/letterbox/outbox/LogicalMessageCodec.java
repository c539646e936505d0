package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.ParseException;

/**
 * Encodes an event as the content of a PostgreSQL logical decoding message
 * ({@link WriteMode#LOGICAL_MESSAGE}) and decodes it back; stateless and thread-safe.
 *
 * <p>The content is a UTF-8 JSON object (see docs/outbox-core.md, "Write modes"):
 * <pre>{@code
 * {"v":1,"id":"0190...","aggregatetype":"order","aggregateid":"42","type":"OrderPlaced",
 *  "topic":null,"headers":{"traceparent":"00-..."},"payload":"eyJ0b3RhbCI6MTB9",
 *  "created_at":"2026-11-24T17:00:00.123456Z"}
 * }</pre>
 * {@code payload} is base64 (standard alphabet, padded) or {@code null} for a tombstone;
 * {@code headers} holds the user headers including the captured trace context; readers ignore
 * unknown fields and refuse a {@code v} greater than {@link #VERSION}.
 */
public final class LogicalMessageCodec {
  /** The default logical message prefix the CDC strategy filters on. */
  public static final String DEFAULT_PREFIX = "letterbox.outbox";
  /** The envelope format version this library writes and the newest it reads. */
  public static final int VERSION = 1;

  private LogicalMessageCodec() {}

  /** A decoded message: the event and when the writing transaction ran. */
  public record Message(OutboxEvent event, Instant createdAt) {}

  /** Encodes {@code event} written at {@code createdAt} as the message content bytes. */
  public static byte[] encode(OutboxEvent event, Instant createdAt) {
    return encode(event, event.headers(), createdAt);
  }

  /** Encodes {@code event} with {@code headers} in place of its own (the writer adds trace headers). */
  public static byte[] encode(OutboxEvent event, Map<String, String> headers, Instant createdAt) {
    StringBuilder out = new StringBuilder(160 + event.payloadSize() * 4 / 3);
    out.append("{\"v\":").append(VERSION).append(",\"id\":");
    Json.string(out, event.id().toString());
    out.append(",\"aggregatetype\":");
    Json.string(out, event.aggregateType());
    out.append(",\"aggregateid\":");
    Json.string(out, event.aggregateId());
    out.append(",\"type\":");
    Json.string(out, event.eventType());
    out.append(",\"topic\":");
    Json.string(out, event.topic());
    out.append(",\"headers\":");
    Json.object(out, headers);
    out.append(",\"payload\":");
    byte[] payload = event.payload();
    Json.string(out, payload == null ? null : Base64.getEncoder().encodeToString(payload));
    out.append(",\"created_at\":");
    Json.string(out, createdAt.toString());
    out.append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes message content written by {@link #encode}; throws {@link InvalidEventException}
   * (field {@code logicalMessage...}) when the content is not a valid envelope.
   */
  public static Message decode(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = new JSONParser().parse(text);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidEventException("logicalMessage", "must be a JSON object (" + e + ")", text);
    }
    if (!(parsed instanceof Map<?, ?> root)) {
      throw new InvalidEventException("logicalMessage", "must be a JSON object", text);
    }
    Object version = root.get("v");
    if (!(version instanceof Number n) || n.intValue() < 1 || n.intValue() > VERSION) {
      throw new InvalidEventException("logicalMessage.v", "must be a format version from 1 to " + VERSION
          + " (a newer Letterbox wrote it: upgrade the reader)", String.valueOf(version));
    }
    String payload = text(root, "payload", false);
    OutboxEvent event = OutboxEvent.builder()
        .id(uuid(text(root, "id", true)))
        .aggregateType(text(root, "aggregatetype", true))
        .aggregateId(text(root, "aggregateid", true))
        .eventType(text(root, "type", true))
        .topic(text(root, "topic", false))
        .headers(headers(root.get("headers")))
        .payload(payload == null ? null : base64(payload))
        .build();
    return new Message(event, instant(text(root, "created_at", true)));
  }

  private static String text(Map<?, ?> root, String field, boolean required) {
    Object value = root.get(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new InvalidEventException("logicalMessage." + field, "must be a JSON string", String.valueOf(value));
    }
    return s;
  }

  private static Map<String, String> headers(Object value) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (value == null) {
      return headers;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new InvalidEventException("logicalMessage.headers", "must be a JSON object", String.valueOf(value));
    }
    map.forEach((k, v) -> {
      if (!(v instanceof String s)) {
        throw new InvalidEventException("logicalMessage.headers." + k, "must be a JSON string", String.valueOf(v));
      }
      headers.put(String.valueOf(k), s);
    });
    return headers;
  }

  private static UUID uuid(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("logicalMessage.id", "must be a UUID", value);
    }
  }

  private static byte[] base64(String value) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("logicalMessage.payload", "must be base64 (" + e.getMessage() + ")", value);
    }
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("logicalMessage.created_at", "must be an ISO-8601 instant", value);
    }
  }
}
