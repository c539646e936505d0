package dev.letterbox.relay.service.it;

import static org.awaitility.Awaitility.await;

import dev.letterbox.testsupport.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

/** Reads a topic on a background thread and keeps what arrived: key, value, event id header. */
final class Consumed implements AutoCloseable {

    record Event(String key, String value, String id, int partition) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Consumed(KafkaServer kafka, String topic) {
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("it-" + UUID.randomUUID()))) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        Header id = r.headers().lastHeader("id");
                        events.add(new Event(new String(r.key(), StandardCharsets.UTF_8),
                                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                                id == null ? null : new String(id.value(), StandardCharsets.UTF_8), r.partition()));
                    }
                }
            }
        }, "it-consumer-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    List<Event> events() {
        return events;
    }

    void awaitAtLeast(int n, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> events.size() >= n);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
