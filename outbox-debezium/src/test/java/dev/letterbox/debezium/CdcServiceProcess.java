package dev.letterbox.debezium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone relay service ({@code dev.letterbox.relay.service.Main run}) with
 * {@code relay.strategy: cdc} in a child JVM. {@code outbox-relay.jar} holds no Debezium, so the
 * child runs on this test's class path, which has the service, this module (whose
 * {@code META-INF/services} entry the relay's {@code ServiceLoader} finds) and Debezium: the
 * class path a CDC deployment of the service needs. Output goes to a file under {@code target/}.
 * Not thread-safe; {@link #close()} kills it if it still runs.
 */
final class CdcServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private CdcServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code Main run --config <config>}; the output goes to {@code <config>.log}. */
    static CdcServiceProcess start(Path config) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = config.resolveSibling(config.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                "dev.letterbox.relay.service.Main", "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return new CdcServiceProcess(pb.start(), log);
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

    boolean isAlive() {
        return process.isAlive();
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
            kill();
        }
    }
}
