package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.EventPublisher;
import dev.letterbox.relay.spi.OutboxRecord;
import dev.letterbox.relay.spi.PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The one place where outbox records become Kafka records (see docs/kafka-contract.md): topic from
 * the row's override or the template, key = aggregate id, value = payload, headers {@code id},
 * {@code type}, {@code aggregatetype}, then the user's headers. Thread-safe (the producer is).
 */
final class KafkaEventPublisher implements EventPublisher {

    /**
     * Header names the relay sets itself on every record; user headers with these names, in any
     * letter case (as {@code OutboxEvent} refuses them), are not copied.
     */
    static final Set<String> RESERVED_HEADERS = Set.of("id", "type", "aggregatetype");
    /** Header names the relay adds to dead-letter copies; user headers with these names (any case) are left out of copies. */
    static final Set<String> DEAD_LETTER_HEADERS = Set.of("error", "original-topic", "payload-omitted");

    private static final Set<String> RESERVED_IN_DEAD_LETTERS = union(RESERVED_HEADERS, DEAD_LETTER_HEADERS);

    private final Producer<byte[], byte[]> producer;
    private final String topicTemplate;
    private final RelayMetrics metrics;
    private final Clock clock;

    KafkaEventPublisher(Producer<byte[], byte[]> producer, String topicTemplate, RelayMetrics metrics, Clock clock) {
        this.producer = producer;
        this.topicTemplate = topicTemplate;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String topicFor(OutboxRecord record) {
        if (record.topic() != null && !record.topic().isBlank()) {
            return record.topic();
        }
        return topicTemplate.replace("${aggregatetype}", record.aggregateType()).replace("${type}", record.eventType());
    }

    @Override
    public CompletableFuture<PublishResult> publish(OutboxRecord record) {
        return send(record, topicFor(record), headers(record), true);
    }

    /**
     * Sends the copy with the payload; when Kafka refuses the copy as too large (the usual reason a
     * record is parked), sends it again without the payload and with a {@code payload-omitted}
     * header, so the dead-letter topic still learns of every parked event.
     */
    @Override
    public CompletableFuture<PublishResult> publishDeadLetter(OutboxRecord record, String topic, String reason) {
        String originalTopic = topicFor(record);
        return send(record, topic, record.payload(), deadLetterHeaders(record, reason, originalTopic, null), false)
                .thenCompose(result -> result instanceof PublishResult.Failed failed
                        && failed.error().getCause() instanceof RecordTooLargeException
                        && record.payload() != null
                        ? send(record, topic, null, deadLetterHeaders(record, reason, originalTopic,
                                "too large: " + record.payload().length + " bytes"), false)
                        : CompletableFuture.completedFuture(result));
    }

    /**
     * The headers of a dead-letter copy: those of the record, without user headers named like the
     * relay's own dead-letter headers (regression: a user header {@code error} appeared beside the
     * relay's), then {@code error}, {@code original-topic} and, when set, {@code payload-omitted}.
     */
    static List<Header> deadLetterHeaders(OutboxRecord record, String reason, String originalTopic,
                                          String payloadOmitted) {
        List<Header> headers = headers(record, RESERVED_IN_DEAD_LETTERS);
        if (reason != null) {
            headers.add(new RecordHeader("error", utf8(reason)));
        }
        headers.add(new RecordHeader("original-topic", utf8(originalTopic)));
        if (payloadOmitted != null) {
            headers.add(new RecordHeader("payload-omitted", utf8(payloadOmitted)));
        }
        return headers;
    }

    private CompletableFuture<PublishResult> send(OutboxRecord record, String topic, List<Header> headers, boolean measure) {
        return send(record, topic, record.payload(), headers, measure);
    }

    private CompletableFuture<PublishResult> send(OutboxRecord record, String topic, byte[] value, List<Header> headers,
                                                  boolean measure) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> pr = new ProducerRecord<>(topic, null, null,
                record.aggregateId().getBytes(StandardCharsets.UTF_8), value, headers);
        try {
            producer.send(pr, (metadata, error) -> {
                if (error == null) {
                    if (measure) {
                        metrics.commitToAck(Duration.between(record.createdAt(), clock.instant()));
                    }
                    result.complete(PublishResult.acked(record, metadata.topic(), metadata.partition(), metadata.offset()));
                } else {
                    PublishResult failed = PublishResult.failed(record, PublishErrors.classify(error, record.id(), topic));
                    metrics.failed(((PublishResult.Failed) failed).error().retriable());
                    result.complete(failed);
                }
            });
        } catch (RuntimeException error) {
            PublishResult failed = PublishResult.failed(record, PublishErrors.classify(error, record.id(), topic));
            metrics.failed(((PublishResult.Failed) failed).error().retriable());
            result.complete(failed);
        }
        return result;
    }

    /** The headers of the record as published: {@code id}, {@code type}, {@code aggregatetype}, then the user's. */
    static List<Header> headers(OutboxRecord record) {
        return headers(record, RESERVED_HEADERS);
    }

    /**
     * The relay's three headers, then the user headers whose names, in lower case, are not in
     * {@code relayNames} (regression: {@code ID} or {@code Type} was copied beside the relay's own).
     */
    private static List<Header> headers(OutboxRecord record, Set<String> relayNames) {
        List<Header> headers = new ArrayList<>(6 + record.headers().size());
        headers.add(new RecordHeader("id", utf8(record.id().toString())));
        headers.add(new RecordHeader("type", utf8(record.eventType())));
        headers.add(new RecordHeader("aggregatetype", utf8(record.aggregateType())));
        for (Map.Entry<String, String> h : record.headers().entrySet()) {
            if (!relayNames.contains(h.getKey().toLowerCase(Locale.ROOT)) && h.getValue() != null) {
                headers.add(new RecordHeader(h.getKey(), utf8(h.getValue())));
            }
        }
        return headers;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
        producer.flush();
    }
}
