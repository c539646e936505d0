package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The headers of published records and of their dead-letter copies (docs/kafka-contract.md). */
class KafkaEventPublisherTest {

    private static final UUID ID = UUID.fromString("01939c4e-7f3a-7b2e-9c1d-5f0e8a6b4c21");

    private static OutboxRecord record(Map<String, String> headers) {
        return new OutboxRecord(ID, "order", "o-1", "OrderPlaced", "{}".getBytes(StandardCharsets.UTF_8), headers,
                null, Instant.parse("2026-11-24T10:00:00Z"));
    }

    private static List<Map.Entry<String, String>> names(Iterable<Header> headers) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        headers.forEach(h -> out.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8))));
        return out;
    }

    private static Map<String, String> userHeaders(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** Regression: the relay dropped reserved user headers only in exact case, so {@code ID} travelled beside {@code id}. */
    @Test
    void dropsUserHeadersNamedLikeTheRelaysOwnInAnyCase() {
        OutboxRecord record = record(userHeaders("ID", "forged", "Type", "x", "AggregateType", "y",
                "traceparent", "00-abc-def-01", "error", "kept on the record itself"));

        assertThat(names(KafkaEventPublisher.headers(record))).containsExactly(
                Map.entry("id", ID.toString()), Map.entry("type", "OrderPlaced"), Map.entry("aggregatetype", "order"),
                Map.entry("traceparent", "00-abc-def-01"), Map.entry("error", "kept on the record itself"));
    }

    /** Regression: a user header {@code error}, {@code original-topic} or {@code payload-omitted} appeared beside the relay's. */
    @Test
    void deadLetterCopiesCarryOnlyTheRelaysErrorOriginalTopicAndPayloadOmittedHeaders() {
        OutboxRecord record = record(userHeaders("error", "user error", "Original-Topic", "user topic",
                "PAYLOAD-OMITTED", "user", "tenant", "t-1", "id", "forged"));

        List<Map.Entry<String, String>> headers = names(KafkaEventPublisher.deadLetterHeaders(record,
                "RecordTooLargeException: too big", "outbox.event.order", "too large: 2 bytes"));

        assertThat(headers).containsExactly(
                Map.entry("id", ID.toString()), Map.entry("type", "OrderPlaced"), Map.entry("aggregatetype", "order"),
                Map.entry("tenant", "t-1"), Map.entry("error", "RecordTooLargeException: too big"),
                Map.entry("original-topic", "outbox.event.order"), Map.entry("payload-omitted", "too large: 2 bytes"));
    }

    @Test
    void publishesTheDeadLetterCopyWithTheDeadLetterHeaders() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaEventPublisher publisher = new KafkaEventPublisher(producer, "outbox.event.${aggregatetype}",
                RelayMetrics.create("test", "polling"), Clock.systemUTC());

        publisher.publishDeadLetter(record(userHeaders("error", "user error", "tenant", "t-1")), "outbox.dead-letter",
                "refused").join();

        assertThat(producer.history()).singleElement().satisfies((ProducerRecord<byte[], byte[]> r) -> {
            assertThat(r.topic()).isEqualTo("outbox.dead-letter");
            assertThat(names(r.headers())).extracting(Map.Entry::getKey)
                    .containsExactly("id", "type", "aggregatetype", "tenant", "error", "original-topic");
            assertThat(names(r.headers())).contains(Map.entry("error", "refused"));
        });
    }
}
