package dev.letterbox.debezium.internal;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the Debezium engine on a daemon thread, from {@link #start} until it fails or
 * {@link #close} stops it; a failed or stopped runner is not restarted (make a new one).
 * {@link #close()} is idempotent and bounded. Thread-safe.
 */
final class EngineRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
    private static final long CLOSE_WAIT_SECONDS = 15;
    private static final Duration MARKS_WAIT = Duration.ofSeconds(5);

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final BatchPublisher consumer;
    private final ExecutorService thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicReference<String> failure = new AtomicReference<>();

    /** The runner owns {@code consumer} and closes it after the engine. */
    EngineRunner(Properties properties, BatchPublisher consumer, String threadName) {
        this.consumer = consumer;
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using(consumer.offsetCommitPolicy())
                .notifying(consumer)
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(message + (error == null ? "" : ": " + error));
                        if (!closed.get()) {
                            LOG.atError().setCause(error).addKeyValue("error", message)
                                    .log("CDC engine stopped with an error");
                        }
                    }
                    finished.set(true);
                })
                .build();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread.execute(engine);
    }

    /** True once the engine stopped, by failure or by {@link #close}. */
    boolean finished() {
        return finished.get();
    }

    /** The failure the engine stopped with, or null. */
    String failure() {
        return failure.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // the engine stores the offsets of every record marked processed when it closes, without asking the
        // commit policy: the marks of those records must be written first
        if (!consumer.stopHandingOver(MARKS_WAIT)) {
            LOG.atWarn().addKeyValue("waited_ms", MARKS_WAIT.toMillis())
                    .log("marks of acknowledged events not written in time; the engine's last offset commit may pass"
                            + " rows still PENDING");
        }
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("closing the CDC engine failed");
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                thread.shutdownNow();
                LOG.atWarn().addKeyValue("waited_s", CLOSE_WAIT_SECONDS)
                        .log("CDC engine thread did not stop in time; interrupted it");
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }
}
