package dev.letterbox.debezium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone relay service with {@code relay.strategy: cdc} in a child JVM, run from the
 * packaged {@code target/outbox-relay-cdc.jar} (the service jar with Debezium inside, built by
 * this module's {@code package} phase, so the failsafe tests run the artifact users deploy).
 * Output goes to a file under {@code target/}. Not thread-safe; {@link #close()} kills it if it
 * still runs.
 */
final class CdcServiceProcess implements AutoCloseable {

    /** The CDC service jar this module packages. */
    static final Path JAR = Path.of("target", "outbox-relay-cdc.jar");

    private final Process process;
    private final Path log;
    private final String instanceId;

    private CdcServiceProcess(Process process, Path log, String instanceId) {
        this.process = process;
        this.log = log;
        this.instanceId = instanceId;
    }

    /** Starts {@code Main run --config <config>}; the output goes to {@code <config>.log}. */
    static CdcServiceProcess start(Path config) {
        return start(config, null);
    }

    /** As {@link #start(Path)}, for the instance {@code instanceId} of that configuration. */
    static CdcServiceProcess start(Path config, String instanceId) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the ITs with `verify` (after package)");
        }
        Path log = config.resolveSibling(config.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
                "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return new CdcServiceProcess(pb.start(), log, instanceId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a service configuration for the cdc strategy next to the other test files. */
    static Path writeConfig(Path dir, String instanceId, String jdbcUrl, String user, String password, String bootstrap,
                            java.util.Map<String, String> debezium) {
        StringBuilder yaml = new StringBuilder("""
                database:
                  url: %s
                  username: %s
                  password: "%s"
                kafka:
                  bootstrap-servers: %s
                relay:
                  instance-id: %s
                  strategy: cdc
                  write-mode: table
                  polling:
                    lease-ttl: %ds
                cleanup:
                  enabled: false
                admin:
                  bind-address: 127.0.0.1
                  port: 0
                logging:
                  format: text
                """.formatted(jdbcUrl, user, password, bootstrap, instanceId, CdcFixture.LEASE_TTL.toSeconds()));
        if (!debezium.isEmpty()) {
            yaml.append("debezium:\n");
        }
        debezium.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        Path file = dir.resolve(instanceId + ".yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The instance id it was started with, or null. */
    String instanceId() {
        return instanceId;
    }

    @Override
    public String toString() {
        return instanceId + " (pid " + process.pid() + ")";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGSTOP: the service freezes (threads, timers, sockets held open) until {@link #resume()}. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: the service gets no chance to flush offsets, close the engine or release its lease. */
    void kill() {
        process.toHandle().destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the relay service did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the service's whole output so far contains {@code text}. */
    boolean logged(String text) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The service's output so far, for failure messages. */
    String output() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= 20_000 ? text : "..." + text.substring(text.length() - 20_000);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume(); // a frozen process must not linger if the test failed while it was stopped
            kill();
        }
    }
}
