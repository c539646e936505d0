package dev.letterbox.relay.service;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@link Main#run} in this JVM and captures what it printed. */
final class CommandLine {

    /** What one command run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {

        /** Both streams, for assertion messages and for "never shown anywhere" checks. */
        String output() {
            return "--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private CommandLine() {
    }

    static synchronized Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }
}
