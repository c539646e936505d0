package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.KafkaServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topic creation and client settings shared by every {@link KafkaServer}; subclasses say where
 * the cluster is. Holds one admin client, created on first use.
 *
 * <p>Thread-safe.
 */
public abstract class AbstractKafkaServer implements KafkaServer {

    static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private Admin admin;

    @Override
    public String createTopic(String name, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions + " (topic " + name + ")");
        }
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        try {
            try {
                admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            while (!hasLeaders(name)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("partitions have no leader");
                }
                Thread.sleep(20);
            }
            // The leader's metadata cache can name a leader before its replica manager serves the
            // partition. A producer that writes at once may then see its first request refused with
            // NOT_LEADER_OR_FOLLOWER while the next one is appended, and the retried first one lands
            // after it, out of order (a broker defect on new partitions, KAFKA-15591; regression: an
            // order test saw events 2..6 of an aggregate before 0 and 1). Listing the offsets of every
            // partition succeeds only once the leader serves it.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(name, p), OffsetSpec.latest());
            }
            admin().listOffsets(latest).all()
                    .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            return name;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Creating topic failed: topic=" + name + ", partitions=" + partitions
                    + ", bootstrap=" + bootstrapServers() + ": " + cause, cause);
        }
    }

    private boolean hasLeaders(String name) throws InterruptedException, TimeoutException {
        try {
            TopicDescription d = admin().describeTopics(List.of(name)).allTopicNames()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
            return d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            return false;
        }
    }

    @Override
    public String uniqueTopic(String hint) {
        return UniqueNames.uniqueTopic(hint);
    }

    @Override
    public Map<String, Object> adminProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    @Override
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    @Override
    public Map<String, Object> consumerProps(String group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** Returns the admin client, creating it on first use. */
    protected synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = adminProps();
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "letterbox-test-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** Closes the admin client, if any; idempotent. */
    protected void closeAdmin() {
        Admin toClose;
        synchronized (this) {
            toClose = admin;
            admin = null;
        }
        if (toClose != null) {
            toClose.close(Duration.ofSeconds(5));
        }
    }
}
