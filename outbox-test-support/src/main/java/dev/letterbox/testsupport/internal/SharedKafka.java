package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.KafkaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses and holds this JVM's shared Kafka cluster. Thread-safe. */
public final class SharedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafka.class);
    private static final Lazy<KafkaServer> SHARED = Lazy.of(SharedKafka::choose);

    private SharedKafka() {
    }

    /** Returns the shared cluster, starting it on first call. */
    public static KafkaServer get() {
        return SHARED.get();
    }

    private static KafkaServer choose() {
        long start = System.nanoTime();
        KafkaServer server;
        String env = KafkaServer.BOOTSTRAP_ENV;
        if (Settings.get(env).isPresent()) {
            server = new RemoteKafka(Settings.get(env).get(), "environment (" + env + " is set)", null);
        } else if (Docker.available()) {
            server = KafkaContainers.start("testcontainers (" + env + " unset, Docker available)");
        } else {
            server = InProcessKafkaBroker.launch(TempDirectories.create("letterbox-kafka"), 0, true,
                    "in-process (" + env + " unset, Docker not available)");
        }
        LOG.info("Kafka for tests: source={} bootstrap={} startMs={}", server.source(), server.bootstrapServers(),
                (System.nanoTime() - start) / 1_000_000);
        return server;
    }

    /** Starts the Kafka container; a separate class so Testcontainers' Kafka classes load only when used. */
    static final class KafkaContainers {

        static final String IMAGE = "apache/kafka:4.1.1";

        private KafkaContainers() {
        }

        static KafkaServer start(String source) {
            org.testcontainers.kafka.KafkaContainer container = new org.testcontainers.kafka.KafkaContainer(
                    org.testcontainers.utility.DockerImageName.parse(IMAGE));
            container.start();
            return new RemoteKafka(container.getBootstrapServers(), source, container::stop);
        }
    }
}
