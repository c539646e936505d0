package dev.letterbox.outbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.letterbox.outbox.OutboxException;

/** Holds the one Jackson mapper; loaded only when Jackson is on the classpath; thread-safe. */
final class JacksonWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private JacksonWriter() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new OutboxException("could not serialize the payload of type " + value.getClass().getName()
          + " as JSON: " + e.getOriginalMessage() + "; serialize it yourself and pass payload(byte[])", e);
    }
  }
}
