package dev.letterbox.outbox;

/** How {@link Outbox#append} writes an event; chosen once per {@link Outbox}. */
public enum WriteMode {
  /** Insert a row into the outbox table; the relay (polling or CDC) publishes it. The default. */
  TABLE,
  /**
   * Insert the row and delete it again in the same transaction: the insert is in the write-ahead
   * log/binlog for CDC to publish, the table never grows. Only for the CDC relay strategy.
   */
  INSERT_AND_DELETE,
  /**
   * PostgreSQL only: emit a transactional logical decoding message
   * ({@code pg_logical_emit_message(true, prefix, content)}) encoded by {@link LogicalMessageCodec};
   * no table at all. Only for the CDC relay strategy.
   */
  LOGICAL_MESSAGE
}
