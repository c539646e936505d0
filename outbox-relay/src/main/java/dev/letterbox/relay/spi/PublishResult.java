package dev.letterbox.relay.spi;

import dev.letterbox.relay.PublishException;
import java.util.Objects;

/**
 * What became of one published record: acknowledged by Kafka at a partition and offset, or failed
 * with a classified {@link PublishException}.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface PublishResult {

    /** The record this result is about; never null. */
    OutboxRecord record();

    /** True when Kafka acknowledged the record. */
    default boolean acked() {
        return this instanceof Acked;
    }

    /** Creates the result of an acknowledged record. */
    static PublishResult acked(OutboxRecord record, String topic, int partition, long offset) {
        return new Acked(record, topic, partition, offset);
    }

    /** Creates the result of a failed record; the error's type tells whether a retry may succeed. */
    static PublishResult failed(OutboxRecord record, PublishException error) {
        return new Failed(record, error);
    }

    /**
     * Kafka acknowledged the record.
     *
     * @param topic     the topic it was written to
     * @param partition the partition
     * @param offset    the offset in that partition
     */
    record Acked(OutboxRecord record, String topic, int partition, long offset) implements PublishResult {
        public Acked {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * The record was not written.
     *
     * @param error a {@link dev.letterbox.relay.RetriablePublishException} or
     *              {@link dev.letterbox.relay.PermanentPublishException}
     */
    record Failed(OutboxRecord record, PublishException error) implements PublishResult {
        public Failed {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(error, "error");
        }
    }
}
