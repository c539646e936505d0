package dev.letterbox.relay.bench;

import dev.letterbox.relay.KafkaConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline: a bare kafka-clients producer with the relay's producer defaults
 * ({@link KafkaConfig#PRODUCER_DEFAULTS}) sending the same records the relay would (key, 1 KB value,
 * the four headers), all asynchronously, then waiting for every ack. Not thread-safe.
 */
final class BareProducer {

    private BareProducer() {
    }

    /** Sends {@code count} records to {@code topic}; returns the seconds from the first send to the last ack. */
    static double send(BenchEnv env, String topic, String aggregateType, int count, int keys) throws Exception {
        Map<String, Object> props = new HashMap<>(KafkaConfig.PRODUCER_DEFAULTS);
        props.put("bootstrap.servers", env.kafka.bootstrapServers());
        props.put("client.id", "bench-bare-producer");
        List<byte[]> payloads = env.payloads;
        byte[] type = "OrderPlaced".getBytes(StandardCharsets.UTF_8);
        byte[] aggregate = aggregateType.getBytes(StandardCharsets.UTF_8);
        byte[] tenant = "acme".getBytes(StandardCharsets.UTF_8);
        AtomicLong lastAck = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata first, as the relay has it after its first batch
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, null,
                        ("order-" + (i % keys)).getBytes(StandardCharsets.UTF_8), payloads.get(i % payloads.size()),
                        List.of(new RecordHeader("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("type", type), new RecordHeader("aggregatetype", aggregate),
                                new RecordHeader("tenant", tenant)));
                producer.send(r, (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                });
            }
            producer.flush();
            if (failure.get() != null) {
                throw failure.get();
            }
            return (lastAck.get() - start) / 1e9;
        }
    }
}
