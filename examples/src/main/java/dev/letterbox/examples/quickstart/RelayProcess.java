package dev.letterbox.examples.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay service running as a child process with {@code run --config FILE}, exactly as in
 * production: the real jar when it exists, else the service's main class from this JVM's class
 * path. Its output goes to a log file.
 *
 * <p>Thread-safe; {@link #close()} stops it (SIGTERM, then a forced kill after the grace period)
 * and is idempotent.
 */
final class RelayProcess implements AutoCloseable {

    /** The standalone service's command-line entry, used when the jar is not there. */
    static final String SERVICE_MAIN = "dev.letterbox.relay.service.Main";

    private static final Duration GRACE = Duration.ofSeconds(15);

    private final Process process;
    private final Path logFile;
    private final String description;
    private Integer exitCode;

    private RelayProcess(Process process, Path logFile, String description) {
        this.process = process;
        this.logFile = logFile;
        this.description = description;
    }

    /**
     * Starts {@code run --config configFile}; returns at once.
     *
     * @param relayJar the relay service jar, used if it is a file
     * @param logFile  where the child's standard output and error go
     */
    static RelayProcess start(Path relayJar, Path configFile, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        String description;
        if (Files.isRegularFile(relayJar)) {
            command.add("-jar");
            command.add(relayJar.toString());
            description = "java -jar " + relayJar;
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(SERVICE_MAIN);
            description = "java -cp <class path> " + SERVICE_MAIN;
        }
        command.addAll(List.of("run", "--config", configFile.toString()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            return new RelayProcess(process, logFile, description + " run --config " + configFile.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the relay: " + String.join(" ", command), e);
        }
    }

    /**
     * Waits until the relay's {@code /health/ready} answers 200 (database and Kafka reachable,
     * leases taken), the process ends, or {@code timeout} passes; returns whether it is ready.
     */
    boolean awaitReady(int adminPort, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                // the admin server is not up yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Returns a port on 127.0.0.1 that is free now, for the relay's admin server. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for the relay's admin server", e);
        }
    }

    /** How the relay was started, for the console. */
    String description() {
        return description;
    }

    /** True while the child process runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's process id. */
    long pid() {
        return process.pid();
    }

    /** The child's exit code once it has ended, else null. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** The last {@code lines} lines of the relay's log, for an error report. */
    List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(relay log " + logFile + " unreadable: " + e.getMessage() + ")");
        }
    }

    /**
     * Stops the relay as an orchestrator does (SIGTERM), waits up to 15 s for it to finish its
     * batch and release its leases, then kills it; returns its exit code.
     */
    @Override
    public void close() {
        stop();
    }

    /** Like {@link #close()}, returning the exit code (137-like codes mean it had to be killed). */
    synchronized int stop() {
        if (exitCode != null) {
            return exitCode;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        exitCode = process.isAlive() ? -1 : process.exitValue();
        return exitCode;
    }
}
