package dev.letterbox.relay.service;

import dev.letterbox.relay.service.internal.ExitCodes;
import dev.letterbox.relay.service.internal.LoggingSetup;
import dev.letterbox.relay.service.internal.RootCommand;
import java.util.Map;
import picocli.CommandLine;

/**
 * The entry point of {@code outbox-relay.jar}: {@code run}, {@code migrate}, {@code status},
 * {@code parked list|retry|drop}, {@code replay} and {@code config check}.
 *
 * <pre>{@code
 * java -jar outbox-relay.jar run --config relay.yaml
 * }</pre>
 *
 * <p>Usage, exit codes, admin endpoints and logs are described in docs/service.md.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @return the exit code (see docs/service.md)
     */
    public static int run(String... args) {
        // Before anything logs: the service's own logging (never a logback.xml on the library's class path).
        LoggingSetup.configure("text", "warn", Map.of(), false, "");
        CommandLine cli = new CommandLine(new RootCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = ExitCodes.of(e);
            if (code == ExitCodes.FAILURE) {
                System.err.println("outbox-relay: unexpected failure: " + e);
                e.printStackTrace(System.err);
            } else {
                System.err.println(code == ExitCodes.CONFIG ? e.getMessage() : "outbox-relay: " + e.getMessage());
            }
            return code;
        });
        return cli.execute(args);
    }
}
