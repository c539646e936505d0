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
        cli.setParameterExceptionHandler(Main::usageError);
        return cli.execute(args);
    }

    /**
     * A wrong command line: the error, suggestions for a misspelt option or command, and a one-line
     * hint. Regression (issue 11, item 9): about 30 lines of usage followed the error, which scrolled away.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        java.io.PrintWriter err = e.getCommandLine().getErr();
        err.println("outbox-relay: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        String path = e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^outbox-relay ?", "");
        err.println("Run 'java -jar outbox-relay.jar " + (path.isEmpty() ? "" : path + " ") + "--help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
