package dev.letterbox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaServerIT {

    private final KafkaServer kafka = KafkaServer.shared();

    @Test
    void producesAndConsumesARecordThroughACreatedTopic() throws Exception {
        String topic = kafka.createTopic(kafka.uniqueTopic("outbox.event.order"), 2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            producer.send(new ProducerRecord<>(topic, bytes("order-1"), bytes("placed"))).get();
        }
        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("KafkaServerIT"))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).hasSize(1);
        assertThat(new String(received.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("order-1");
        assertThat(new String(received.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("placed");
    }

    @Test
    void createsATopicWithTheRequestedPartitionsAndToleratesASecondCreate() throws Exception {
        String topic = kafka.uniqueTopic("KafkaServerIT");
        kafka.createTopic(topic, 3);
        kafka.createTopic(topic, 3);
        try (Admin admin = Admin.create(kafka.adminProps())) {
            assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
    }

    @Test
    void makesUniqueLegalTopicNames() {
        String a = kafka.uniqueTopic("orders/eu west");
        String b = kafka.uniqueTopic("orders/eu west");
        assertThat(a).isNotEqualTo(b).startsWith("orders_eu_west.").matches("[a-zA-Z0-9._-]+");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
