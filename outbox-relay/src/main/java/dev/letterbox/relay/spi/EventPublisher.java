package dev.letterbox.relay.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes outbox records to Kafka asynchronously and tells, per record, whether Kafka
 * acknowledged it. Topic, key, value and headers are built here for every strategy (see
 * {@code docs/kafka-contract.md}).
 *
 * <p>Records handed to {@link #publish} in order are written in that order per partition (the
 * producer is idempotent). Implementations are thread-safe.
 *
 * <pre>{@code
 * List<CompletableFuture<PublishResult>> acks = records.stream().map(publisher::publish).toList();
 * publisher.flush();
 * for (var ack : acks) { PublishResult r = ack.join(); ... }
 * }</pre>
 */
public interface EventPublisher {

    /**
     * Starts sending one record; never blocks on the network for longer than the producer's
     * {@code max.block.ms}.
     *
     * @param record the record; never null
     * @return completes (never exceptionally) with {@link PublishResult.Acked} or
     *         {@link PublishResult.Failed} whose error type tells whether to retry
     */
    CompletableFuture<PublishResult> publish(OutboxRecord record);

    /**
     * Starts sending a copy of a record to a dead-letter topic, with the reason in the
     * {@code error} header.
     *
     * @param record the record that could not be published; never null
     * @param topic  the dead-letter topic; never null
     * @param reason why it was parked; never null
     * @return completes (never exceptionally) with the outcome of that send
     */
    CompletableFuture<PublishResult> publishDeadLetter(OutboxRecord record, String topic, String reason);

    /** The topic a record goes to: its override, else the relay's topic template applied to it. */
    String topicFor(OutboxRecord record);

    /** Sends everything buffered now and waits until each send completed or failed. */
    void flush();
}
