package dev.letterbox.testsupport;

import static dev.letterbox.testsupport.KafkaServerIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void restartsOnTheSamePortWithItsData(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = KafkaServer.startEmbedded(dir.resolve("kafka"))) {
            int port = broker.port();
            String topic = broker.createTopic("restart-test", 1);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
                producer.send(new ProducerRecord<>(topic, bytes("k"), bytes("before outage"))).get();
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThatThrownBy(() -> describeCluster(broker)).as("the broker is down").isNotNull();

            broker.start();
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("restart"))) {
                consumer.subscribe(List.of(topic));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200))
                            .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                    return !values.isEmpty();
                });
            }
            assertThat(values).containsExactly("before outage");
        }
    }

    @Test
    void refusesAPortOutsideTheRange(@TempDir Path dir) {
        assertThatThrownBy(() -> KafkaServer.startEmbedded(dir, 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port must be between 0 and 65535")
                .hasMessageContaining("70000");
    }

    @Test
    void deletesATemporaryLogDirectoryOnClose() {
        Path dir;
        try (EmbeddedKafkaBroker broker = KafkaServer.startEmbedded()) {
            dir = broker.logDirectory();
            assertThat(dir).isDirectory();
        }
        assertThat(dir).doesNotExist();
    }

    private static void describeCluster(KafkaServer broker) throws Exception {
        Map<String, Object> props = broker.adminProps();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
        }
    }
}
