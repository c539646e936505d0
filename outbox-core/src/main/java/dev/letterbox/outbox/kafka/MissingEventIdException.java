package dev.letterbox.outbox.kafka;

import dev.letterbox.outbox.OutboxException;

/** Thrown when a Kafka record has no usable {@code id} header, so the inbox cannot deduplicate it. */
public final class MissingEventIdException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;

  /** Creates the exception for the record at {@code topic}/{@code partition}/{@code offset}. */
  public MissingEventIdException(String topic, int partition, long offset) {
    super("Kafka record " + topic + "-" + partition + "@" + offset + " has no non-blank 'id' header: the inbox"
        + " deduplicates by event id. Records published by the Letterbox relay always carry it; for other"
        + " producers, add an 'id' header (UTF-8 text) or skip the record before KafkaInbox.process");
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  /** The record's topic. */
  public String topic() {
    return topic;
  }

  /** The record's partition. */
  public int partition() {
    return partition;
  }

  /** The record's offset. */
  public long offset() {
    return offset;
  }
}
