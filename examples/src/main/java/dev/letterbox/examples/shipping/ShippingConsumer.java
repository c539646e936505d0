package dev.letterbox.examples.shipping;

import dev.letterbox.examples.orders.OrderEvents;
import dev.letterbox.outbox.OutboxHeaders;
import dev.letterbox.outbox.kafka.KafkaInbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipping service's Kafka consumer: polls the order events' topic and applies each batch
 * through {@link KafkaInbox}, so every event changes {@code shipments} once, in the same database
 * transaction as its inbox row, and offsets are committed only after that transaction.
 *
 * <pre>{@code
 * try (ShippingConsumer shipping = ShippingConsumer.start(kafkaProps, dataSource, "shipping", OrderEvents.TOPIC)) {
 *     ...                     // runs on its own thread until closed
 * }
 * }</pre>
 *
 * <p>{@link #rewind(int)} re-reads records it already applied, as an operator replaying a topic
 * would; the inbox drops them as duplicates. Thread-safe: the Kafka consumer is used only by the
 * consumer's own thread, other methods only read counters or leave a request for that thread.
 */
public final class ShippingConsumer implements AutoCloseable {

    /** The consumer name in the inbox and the default Kafka group id. */
    public static final String CONSUMER = "shipping";

    private static final Logger LOG = LoggerFactory.getLogger(ShippingConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaInbox inbox;
    private final ShipmentProjector projector = new ShipmentProjector();
    private final String topic;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rewound = new AtomicLong();
    private final AtomicInteger rewindRequest = new AtomicInteger();
    private final AtomicReference<RuntimeException> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    private ShippingConsumer(Map<String, Object> kafkaProps, DataSource dataSource, String group, String topic) {
        Map<String, Object> props = new HashMap<>(kafkaProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(props);
        this.inbox = KafkaInbox.builder().dataSource(dataSource).consumerName(CONSUMER).build();
        this.topic = topic;
        this.thread = new Thread(this::loop, "shipping-consumer");
    }

    /**
     * Creates the consumer and starts its thread.
     *
     * @param kafkaProps consumer properties, at least {@code bootstrap.servers}; group, deserializers
     *                   and {@code enable.auto.commit=false} are set here
     * @param dataSource the shipping database (with {@code shipments} and the inbox table); stays the caller's
     * @param group      the Kafka consumer group id
     * @param topic      the order events' topic, usually {@link OrderEvents#TOPIC}
     */
    public static ShippingConsumer start(Map<String, Object> kafkaProps, DataSource dataSource, String group,
                                         String topic) {
        ShippingConsumer shipping = new ShippingConsumer(kafkaProps, dataSource, group, topic);
        shipping.thread.start();
        return shipping;
    }

    /** Records polled so far, duplicates included. */
    public long received() {
        return received.get();
    }

    /** Events applied to shipments (each once). */
    public long applied() {
        return applied.get();
    }

    /** Records the inbox recognised as already applied and skipped. */
    public long duplicatesDropped() {
        return duplicates.get();
    }

    /** Records re-read on purpose through {@link #rewind(int)} so far. */
    public long rewound() {
        return rewound.get();
    }

    /** The last failure of a batch (retried after a pause), or null. */
    public RuntimeException lastError() {
        return lastError.get();
    }

    /**
     * Asks the consumer thread to step back over about {@code records} already applied records,
     * spread over its partitions, before its next poll; they arrive again and are dropped as
     * duplicates. Returns at once.
     */
    public void rewind(int records) {
        rewindRequest.addAndGet(records);
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                rewindIfAsked();
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                try {
                    int ran = inbox.process(consumer, records, this::handle);
                    received.addAndGet(records.count());
                    applied.addAndGet(ran);
                    duplicates.addAndGet(records.count() - ran);
                } catch (RuntimeException e) {
                    lastError.set(e);
                    LOG.atError().addKeyValue("retry_in", RETRY_PAUSE).addKeyValue("error", e.getMessage())
                            .log("shipping batch failed, retrying");
                    Thread.sleep(RETRY_PAUSE.toMillis());
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close() asked us to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, Connection tx) {
        projector.apply(DSL.using(tx, SQLDialect.POSTGRES), header(record, OutboxHeaders.TYPE), record.value());
    }

    private void rewindIfAsked() {
        int wanted = rewindRequest.getAndSet(0);
        if (wanted <= 0 || consumer.assignment().isEmpty()) {
            return;
        }
        int perPartition = Math.max(1, wanted / consumer.assignment().size());
        for (TopicPartition partition : consumer.assignment()) {
            long position = consumer.position(partition);
            long target = Math.max(0, position - perPartition);
            consumer.seek(partition, target);
            rewound.addAndGet(position - target);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Stops polling, closes the Kafka consumer and waits up to 10 s for the thread; idempotent. */
    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
