package dev.letterbox.relay.service.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The real {@code target/outbox-relay.jar} as a child process, with its output captured line by line. */
final class RelayProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "outbox-relay.jar");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps;

    private RelayProcess(Process process) {
        this.process = process;
        this.pumps = List.of(pump(process.getInputStream(), stdout, "stdout"),
                pump(process.getErrorStream(), stderr, "stderr"));
    }

    /** Starts {@code java -jar outbox-relay.jar args...} with extra environment variables. */
    static RelayProcess start(Map<String, String> env, String... args) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the ITs with `verify` (after package)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            return new RelayProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a one-shot command to its end (at most a minute) and returns it. */
    static RelayProcess runToEnd(Map<String, String> env, String... args) {
        RelayProcess p = start(env, args);
        p.awaitExit(Duration.ofSeconds(60));
        return p;
    }

    private static Thread pump(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "relay-process-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the relay did not exit within " + timeout + "; output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // the pumps end at end-of-stream: wait for them so that the last lines are captured
        // (regression: "relay stopped" was missed when the test read stdout before the pump did)
        for (Thread pump : pumps) {
            try {
                pump.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends SIGTERM. Through the process handle: {@code Process.destroy()} also closes this side of
     * the output pipes, so the relay's last log lines (regression: "relay stopped") were lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL: the relay gets no chance to finish anything. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdout() {
        return stdout;
    }

    String stdoutText() {
        return String.join("\n", stdout);
    }

    String stderrText() {
        return String.join("\n", stderr);
    }

    String output() {
        return "--- stdout ---\n" + stdoutText() + "\n--- stderr ---\n" + stderrText();
    }

    /** Waits until a line of standard output matches. */
    String awaitStdout(Predicate<String> match, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .failFast("the relay exited:\n" + output(), () -> !process.isAlive() && stdout.stream().noneMatch(match))
                .until(() -> stdout.stream().anyMatch(match));
        return stdout.stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
