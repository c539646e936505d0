package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every outbox event satisfies, shared by the event record and the writer; stateless. */
public final class EventRules {
  /** Longest aggregate type, aggregate id and event type: the {@code varchar(255)} columns. */
  public static final int MAX_TEXT_LENGTH = 255;
  /** Longest topic name Kafka accepts. */
  public static final int MAX_TOPIC_LENGTH = 249;
  /** Header names the library writes itself; user headers may not use them (any case). */
  public static final Set<String> RESERVED_HEADERS = Set.of("id", "type", "aggregatetype");

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

  private EventRules() {}

  /** Requires a non-blank text of at most 255 characters. */
  public static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidEventException(field, "must not be blank", value);
    }
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new InvalidEventException(field, "must be at most " + MAX_TEXT_LENGTH + " characters (it is "
          + value.length() + ")", value);
    }
  }

  /** Requires {@code null} or a topic name Kafka accepts. */
  public static void requireTopic(String topic) {
    if (topic == null) {
      return;
    }
    if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
      throw new InvalidEventException("topic", "must be 1 to " + MAX_TOPIC_LENGTH
          + " characters (Kafka's limit) or null for the relay's topic template", topic);
    }
    if (topic.equals(".") || topic.equals("..")) {
      throw new InvalidEventException("topic", "must not be '.' or '..' (Kafka rejects them)", topic);
    }
    if (!TOPIC.matcher(topic).matches()) {
      throw new InvalidEventException("topic", "may contain only ASCII letters, digits, '.', '_' and '-'"
          + " (Kafka's legal topic characters)", topic);
    }
  }

  /** Requires well-formed user headers and returns an unmodifiable copy in insertion order. */
  public static Map<String, String> requireHeaders(Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      if (name == null || name.isBlank()) {
        throw new InvalidEventException("headers", "must not contain a blank header name", name);
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new InvalidEventException("headers." + name, "is reserved: the relay writes headers "
            + RESERVED_HEADERS + " from the event's own fields; rename the header", value);
      }
      if (value == null) {
        throw new InvalidEventException("headers." + name, "must not be null (omit the header instead)", null);
      }
      copy.put(name, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  /** Requires a payload of at most {@code maxBytes} bytes. */
  public static void requirePayloadSize(int size, int maxBytes) {
    if (size > maxBytes) {
      throw new InvalidEventException("payload", "must be at most " + maxBytes + " bytes (the configured"
          + " maxPayloadBytes; Kafka's default request size is 1 MiB)", size + " bytes");
    }
  }

  /** Requires headers whose names and values total at most {@code maxBytes} UTF-8 bytes. */
  public static void requireHeaderSize(Map<String, String> headers, int maxBytes) {
    long total = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      total += utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    if (total > maxBytes) {
      throw new InvalidEventException("headers", "must total at most " + maxBytes
          + " bytes of names and values (the configured maxHeaderBytes)", total + " bytes in " + headers.keySet());
    }
  }

  private static int utf8Length(String s) {
    int ascii = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
      ascii++;
    }
    return ascii;
  }
}
