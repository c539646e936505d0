package dev.letterbox.examples.quickstart;

import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The quickstart's servers: an embedded PostgreSQL and an in-process Kafka broker, both under one
 * temporary folder that {@link #close()} deletes after stopping them.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and also runs from a JVM shutdown hook, so
 * Ctrl-C leaves nothing behind.
 */
final class EmbeddedStack implements AutoCloseable {

    private final Path directory;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Thread shutdownHook = new Thread(this::close, "letterbox-quickstart-cleanup");
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private TestDatabase database;
    private boolean closed;

    private EmbeddedStack(Path directory) {
        this.directory = directory;
    }

    /** Creates the temporary folder and registers the shutdown hook; starts nothing yet. */
    static EmbeddedStack create() {
        try {
            EmbeddedStack stack = new EmbeddedStack(Files.createTempDirectory("letterbox-quickstart-"));
            Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary folder for the quickstart", e);
        }
    }

    /** The temporary folder (server data, relay config and log); deleted by {@link #close()}. */
    Path directory() {
        return directory;
    }

    /** Starts PostgreSQL on a free port and creates the quickstart's database. */
    synchronized TestDatabase startPostgres() {
        postgres = register(PostgresServer.startEmbedded(directory.resolve("postgres"), 0));
        database = register(postgres.createDatabase("quickstart"));
        return database;
    }

    /** Starts the Kafka broker on free ports. */
    synchronized EmbeddedKafkaBroker startKafka() {
        kafka = register(KafkaServer.startEmbedded(directory.resolve("kafka")));
        return kafka;
    }

    /** Registers something to close before the servers stop, such as the relay process or a consumer. */
    synchronized <T extends AutoCloseable> T register(T closeable) {
        toClose.push(closeable);
        return closeable;
    }

    /** Closes everything registered, last first, then deletes the temporary folder; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            while (!toClose.isEmpty()) {
                try {
                    toClose.pop().close();
                } catch (Exception e) {
                    System.err.println("quickstart: could not close a component: " + e);
                }
            }
        }
        deleteRecursively(directory);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs or has run, nothing left to undo
            }
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("quickstart: could not delete " + root + ": " + e.getMessage());
        }
    }
}
