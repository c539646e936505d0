package dev.letterbox.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its start on its own thread and records, per event id (the {@code id} header),
 * the {@link System#nanoTime()} at which the record reached this consumer: the "ack seen by a
 * consumer" end of commit-to-ack in the benchmark harnesses. Thread-safe; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (TopicReader reader = new TopicReader(kafka, "outbox.event.order")) {
 *     ... reader.received().get(eventId) ...
 * }
 * }</pre>
 */
public final class TopicReader implements AutoCloseable {

    private final Map<UUID, Long> received = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    /** Starts reading {@code topic} of {@code kafka} from its beginning. */
    public TopicReader(KafkaServer kafka, String topic) {
        Map<String, Object> props = new HashMap<>(kafka.consumerProps("bench-" + topic));
        props.put("enable.auto.commit", "false");
        props.put("fetch.max.wait.ms", "100");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(() -> {
            try (consumer) {
                while (!stop) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        Header id = r.headers().lastHeader("id");
                        if (id != null) {
                            received.putIfAbsent(UUID.fromString(new String(id.value(), StandardCharsets.UTF_8)), now);
                        }
                    }
                }
            }
        }, "bench-topic-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Arrival time ({@link System#nanoTime()}) of the first record seen per event id; live view. */
    public Map<UUID, Long> received() {
        return received;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(5_000);
    }
}
