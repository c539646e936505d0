package dev.letterbox.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.letterbox.testsupport.KafkaServer;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * A Kafka Connect connector configuration from {@code docs/kafka-connect.md}, run in Debezium's
 * embedded engine (so its {@code transforms}, here the stock EventRouter SMT, run as in Connect),
 * each resulting record converted with the configured key, value and header converters and
 * produced to Kafka as a Connect worker's source task does. Offsets and schema history are kept
 * in memory; the connection keys are the test's. Not thread-safe; {@link #close()} stops it.
 */
final class ConnectorRun implements AutoCloseable {

    private static final Path DOC = Path.of("..", "docs", "kafka-connect.md");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "connector-run");
        t.setDaemon(true);
        return t;
    });
    private final KafkaProducer<byte[], byte[]> producer;
    private final Converter keys;
    private final Converter values;
    private final HeaderConverter headers;
    private final AtomicReference<String> failure = new AtomicReference<>();

    /**
     * The {@code config} object of the connector JSON in docs/kafka-connect.md whose
     * {@code connector.class} is {@code connectorClass}.
     */
    static Map<String, String> documentedConfig(String connectorClass) {
        try {
            Matcher m = JSON_BLOCK.matcher(Files.readString(DOC));
            ObjectMapper mapper = new ObjectMapper();
            while (m.find()) {
                JsonNode root = mapper.readTree(m.group(1));
                JsonNode config = root.path("config");
                if (connectorClass.equals(config.path("connector.class").asText())) {
                    Map<String, String> out = new LinkedHashMap<>();
                    out.put("name", root.path("name").asText());
                    config.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                    return out;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(DOC + " has no connector JSON with connector.class " + connectorClass);
    }

    ConnectorRun(Map<String, String> config, KafkaServer kafka) {
        Properties p = new Properties();
        p.putAll(config);
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "500");
        this.keys = converter(config.get("key.converter"), true);
        this.values = converter(config.get("value.converter"), false);
        this.headers = instance(config.getOrDefault("header.converter",
                "org.apache.kafka.connect.storage.SimpleHeaderConverter"), HeaderConverter.class);
        headers.configure(Map.of());
        this.producer = new KafkaProducer<>(kafka.producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class)).using(p)
                .notifying(this::handle)
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(message + (error == null ? "" : ": " + error));
                    }
                })
                .build();
        thread.execute(engine);
    }

    /** Why the engine stopped, or null while it runs or after a clean stop. */
    String failure() {
        return failure.get();
    }

    private void handle(List<RecordChangeEvent<SourceRecord>> batch,
                        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> event : batch) {
            SourceRecord r = event.record();
            if (r != null && r.topic() != null) { // a transform may have dropped it (EventRouter drops deletes)
                produce(r);
            }
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** What a Connect source task does with a transformed record: convert key, value and headers, then send. */
    private void produce(SourceRecord r) throws InterruptedException {
        RecordHeaders wire = new RecordHeaders();
        for (Header h : r.headers()) {
            wire.add(h.key(), headers.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()));
        }
        byte[] key;
        byte[] value;
        try {
            key = keys.fromConnectData(r.topic(), wire, r.keySchema(), r.key());
            value = values.fromConnectData(r.topic(), wire, r.valueSchema(), r.value());
        } catch (org.apache.kafka.connect.errors.DataException e) {
            throw new IllegalStateException("the configured converters cannot write a record of topic " + r.topic()
                    + " with value schema " + (r.valueSchema() == null ? null : r.valueSchema().name()), e);
        }
        try {
            producer.send(new ProducerRecord<>(r.topic(), r.kafkaPartition(), r.timestamp(), key, value, wire)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce " + r, e.getCause());
        }
    }

    private static Converter converter(String className, boolean isKey) {
        Converter c = instance(className, Converter.class);
        c.configure(Map.of(), isKey);
        return c;
    }

    private static <T> T instance(String className, Class<T> type) {
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + className, e);
        }
    }

    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.shutdown();
            try {
                thread.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
