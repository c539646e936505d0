package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker and controller) running in this JVM, on loopback
 * ports chosen once and kept across {@link #stop()} / {@link #start()}.
 *
 * <p>Thread-safe: lifecycle methods are synchronized and idempotent.
 */
public final class InProcessKafkaBroker extends AbstractKafkaServer implements EmbeddedKafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDirectory;
    private final boolean deleteOnClose;
    private final String source;
    private final Properties config;
    private final int port;
    private KafkaRaftServer server;
    private boolean closed;

    private InProcessKafkaBroker(Path logDirectory, int port, boolean deleteOnClose, String source) {
        this.logDirectory = logDirectory;
        this.deleteOnClose = deleteOnClose;
        this.source = source;
        this.port = port == 0 ? freePort() : port;
        this.config = BrokerConfig.singleNode(logDirectory, this.port, freePort());
    }

    /**
     * Formats {@code logDirectory} if needed and starts a broker on it; stopped at JVM exit.
     *
     * @param logDirectory log directory, created if missing
     * @param port client port on 127.0.0.1, or 0 for a free one
     * @param deleteOnClose whether {@link #close()} deletes the directory
     * @param source where this broker came from and why, for logs
     */
    public static InProcessKafkaBroker launch(Path logDirectory, int port, boolean deleteOnClose, String source) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free port), was " + port);
        }
        InProcessKafkaBroker broker = new InProcessKafkaBroker(logDirectory.toAbsolutePath(), port, deleteOnClose,
                source);
        try {
            broker.format();
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        ShutdownHooks.register("kafka", broker::close);
        return broker;
    }

    /** Starts a broker on a new temporary log directory that {@link #close()} deletes. */
    public static InProcessKafkaBroker startTemporary() {
        return launch(TempDirectories.create("letterbox-kafka"), 0, true, "in-process (started explicitly)");
    }

    private void format() {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return; // formatted before: a restart on the same directory (a new cluster id would be refused)
        }
        try {
            Files.createDirectories(logDirectory);
            Path file = Files.createTempFile("letterbox-kafka-", ".properties");
            try {
                try (OutputStream out = Files.newOutputStream(file)) {
                    config.store(out, "letterbox test broker");
                }
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                int exit = StorageTool.execute(new String[] {"format", "--config", file.toString(),
                        "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"},
                        new PrintStream(output, true, StandardCharsets.UTF_8));
                if (exit != 0) {
                    throw new IllegalStateException("Formatting Kafka log directory " + logDirectory + " failed (exit "
                            + exit + "): " + output.toString(StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Preparing Kafka log directory " + logDirectory + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Kafka broker on port " + port + " is closed; start a new one");
        }
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            shutdown(candidate);
            throw new IllegalStateException("Starting in-process Kafka broker failed: port=" + port + ", logDirectory="
                    + logDirectory + ": " + e.getMessage(), e);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            shutdown(candidate);
            throw e;
        }
        server = candidate;
        LOG.info("Kafka broker started: bootstrap={} logDirectory={} startMs={}", bootstrapServers(), logDirectory,
                (System.nanoTime() - begin) / 1_000_000);
    }

    private void awaitReady() {
        try {
            admin().describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka broker on port " + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker on port " + port + " did not answer within " + READY_TIMEOUT
                    + ": " + e, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            long begin = System.nanoTime();
            shutdown(server);
            server = null;
            LOG.info("Kafka broker stopped: bootstrap={} stopMs={}", bootstrapServers(),
                    (System.nanoTime() - begin) / 1_000_000);
        }
    }

    private static void shutdown(KafkaRaftServer s) {
        s.shutdown();
        s.awaitShutdown();
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeAdmin();
        stop();
        if (deleteOnClose) {
            TempDirectories.deleteRecursively(logDirectory);
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path logDirectory() {
        return logDirectory;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "in-process Kafka " + bootstrapServers() + " log " + logDirectory;
    }
}
