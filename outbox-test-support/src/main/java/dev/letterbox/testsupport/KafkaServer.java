package dev.letterbox.testsupport;

import dev.letterbox.testsupport.internal.InProcessKafkaBroker;
import dev.letterbox.testsupport.internal.SharedKafka;
import java.nio.file.Path;
import java.util.Map;

/**
 * A running Kafka cluster for tests and the quickstart, with helpers for topics and client settings.
 *
 * <p>{@link #shared()} picks, on first call: the cluster in {@value #BOOTSTRAP_ENV} if set; else a
 * Testcontainers {@code apache/kafka} container if Docker works; else a single-node KRaft broker
 * started in this JVM from the Kafka artifacts, on free loopback ports, with its log directory
 * under {@code java.io.tmpdir} (deleted at exit). Topics are auto-created on first use with one
 * partition, but tests should create theirs with {@link #createTopic(String, int)}.
 *
 * <pre>{@code
 * KafkaServer kafka = KafkaServer.shared();
 * String topic = kafka.createTopic(kafka.uniqueTopic("orders"), 3);
 * try (var consumer = new KafkaConsumer<byte[], byte[]>(kafka.consumerProps("it"))) { ... }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface KafkaServer {

    /** Bootstrap servers of a Kafka cluster to use, e.g. {@code 127.0.0.1:9092}. */
    String BOOTSTRAP_ENV = "OUTBOX_TEST_KAFKA_BOOTSTRAP";

    /**
     * Returns this JVM's shared Kafka cluster, starting it on the first call. An in-process broker
     * stops in a JVM shutdown hook; its threads are not daemons, so a main program that uses it
     * ends with {@code System.exit}.
     *
     * @throws IllegalStateException if the broker cannot be started (also on later calls)
     */
    static KafkaServer shared() {
        return SharedKafka.get();
    }

    /**
     * Starts a dedicated single-node broker in this JVM (not the shared one), for tests that stop
     * and restart a broker. The directory is kept on close (it belongs to the caller).
     *
     * @param logDirectory the broker's log directory; created and formatted if empty, reused otherwise
     * @throws IllegalStateException if the broker does not start
     */
    static EmbeddedKafkaBroker startEmbedded(Path logDirectory) {
        return startEmbedded(logDirectory, 0);
    }

    /**
     * Starts a dedicated single-node broker in this JVM (not the shared one) on a given client
     * port, for example for the quickstart. The directory is kept on close (it belongs to the caller).
     *
     * @param logDirectory the broker's log directory; created and formatted if empty, reused otherwise
     * @param port client port on 127.0.0.1, or 0 for a free one (the controller always takes a free one)
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws IllegalStateException if the broker does not start (for example, the port is taken)
     */
    static EmbeddedKafkaBroker startEmbedded(Path logDirectory, int port) {
        return InProcessKafkaBroker.launch(logDirectory, port, false, "in-process (started explicitly)");
    }

    /**
     * Starts a dedicated single-node broker in this JVM on a fresh temporary log directory, which
     * {@link EmbeddedKafkaBroker#close()} deletes.
     *
     * @throws IllegalStateException if the broker does not start
     */
    static EmbeddedKafkaBroker startEmbedded() {
        return InProcessKafkaBroker.startTemporary();
    }

    /** Returns the bootstrap servers, for example {@code 127.0.0.1:39231}. */
    String bootstrapServers();

    /** Returns where this cluster came from and why, for example {@code "in-process (…)"}. */
    String source();

    /**
     * Creates a topic with replication factor 1, or does nothing if it exists, and waits until
     * every partition has a leader.
     *
     * @param name topic name; see {@link #uniqueTopic(String)}
     * @param partitions number of partitions, at least 1
     * @return {@code name}
     * @throws IllegalArgumentException if {@code partitions} is below 1
     * @throws IllegalStateException if the topic is not ready within 30 s
     */
    String createTopic(String name, int partitions);

    /**
     * Returns a topic name that no other test uses, {@code <hint>.<jvm tag>.<counter>}; does not create it.
     *
     * @param hint readable part, for example {@code outbox.event.order}; null or blank means {@code "test"}
     */
    String uniqueTopic(String hint);

    /** Returns a new mutable map with {@code bootstrap.servers}, for an admin client. */
    Map<String, Object> adminProps();

    /**
     * Returns a new mutable map for a producer of {@code byte[]} keys and values:
     * bootstrap servers, byte-array serializers, {@code acks=all}, idempotence on.
     */
    Map<String, Object> producerProps();

    /**
     * Returns a new mutable map for a consumer of {@code byte[]} keys and values in {@code group}:
     * bootstrap servers, byte-array deserializers, {@code auto.offset.reset=earliest}.
     *
     * @param group the consumer group id
     */
    Map<String, Object> consumerProps(String group);
}
