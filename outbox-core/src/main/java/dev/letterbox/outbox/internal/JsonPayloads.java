package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxException;

/** Serializes payload objects to JSON with Jackson when it is on the classpath; stateless. */
public final class JsonPayloads {
  private static final boolean JACKSON_PRESENT = present("com.fasterxml.jackson.databind.ObjectMapper");

  private JsonPayloads() {}

  /** Returns {@code value} as JSON bytes, or {@code null} for {@code null}. */
  public static byte[] toJson(Object value) {
    if (value == null) {
      return null;
    }
    if (!JACKSON_PRESENT) {
      throw new OutboxException("OutboxEvent.Builder.jsonPayload needs com.fasterxml.jackson.core:jackson-databind"
          + " on the classpath (an optional dependency of outbox-core): add it, or serialize yourself and pass"
          + " payload(byte[]) / payload(String)");
    }
    return JacksonWriter.write(value);
  }

  static boolean present(String className) {
    try {
      Class.forName(className, false, JsonPayloads.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
