package dev.letterbox.testsupport;

import java.nio.file.Path;

/**
 * A single-node KRaft Kafka broker running in this JVM, which a test can stop and start again on
 * the same ports and log directory to simulate an outage.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = KafkaServer.startEmbedded(tempDir)) {
 *     broker.createTopic("orders", 1);
 *     broker.stop();   // clients now see the broker as down
 *     broker.start();  // same bootstrap address, same data
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #stop()}, {@link #start()} and {@link #close()} are idempotent.
 */
public interface EmbeddedKafkaBroker extends KafkaServer, AutoCloseable {

    /** Returns the client (PLAINTEXT) port on 127.0.0.1, kept across {@link #stop()} and {@link #start()}. */
    int port();

    /** Returns the broker's log directory. */
    Path logDirectory();

    /** Returns whether the broker is running (started and not stopped). */
    boolean isRunning();

    /**
     * Stops the broker (controlled shutdown, waits until it is down); its data stays.
     * Does nothing if it is stopped.
     */
    void stop();

    /**
     * Starts the broker again on the same ports and log directory and waits until it serves
     * clients. Does nothing if it is running.
     *
     * @throws IllegalStateException if it does not start (e.g. the port was taken meanwhile) or the broker is closed
     */
    void start();

    /** Stops the broker for good, closes the admin client, and deletes a temporary log directory; idempotent. */
    @Override
    void close();
}
