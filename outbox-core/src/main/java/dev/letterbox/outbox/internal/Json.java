package dev.letterbox.outbox.internal;

import java.util.Map;

/** Writes the small JSON documents the outbox stores (header objects, message envelopes); stateless. */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Renders a JSON object of string values, or {@code null} for an empty map. */
  public static String headers(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(32 * headers.size());
    object(out, headers);
    return out.toString();
  }

  /** Appends a JSON object of string values. */
  public static void object(StringBuilder out, Map<String, String> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      string(out, e.getValue());
    }
    out.append('}');
  }

  /** Appends a JSON string literal, or {@code null}. */
  public static void string(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
