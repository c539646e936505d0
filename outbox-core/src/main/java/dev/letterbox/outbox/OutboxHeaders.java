package dev.letterbox.outbox;

/**
 * The Kafka record header names the relay writes from an event's own fields (the record
 * contract); user headers may not use them.
 */
public final class OutboxHeaders {
  /** The event id (UUID text, UTF-8): the inbox's deduplication key. */
  public static final String ID = "id";
  /** The event type, e.g. {@code OrderPlaced}. */
  public static final String TYPE = "type";
  /** The aggregate type, e.g. {@code order}. */
  public static final String AGGREGATE_TYPE = "aggregatetype";
  /** W3C trace context captured at append time (a user header, copied as is). */
  public static final String TRACEPARENT = "traceparent";
  /** W3C trace state captured at append time (a user header, copied as is). */
  public static final String TRACESTATE = "tracestate";

  private OutboxHeaders() {}
}
