package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parked list|retry|drop}: inspect and resolve events the relay parked. */
@Command(name = "parked", mixinStandardHelpOptions = true,
        description = "Inspect and resolve parked events (events the relay could not publish).",
        subcommands = {ParkedCommand.ListParked.class, ParkedCommand.Retry.class, ParkedCommand.Drop.class})
public final class ParkedCommand {

    /** Shared by the three sub-commands. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommandSupport support;
        @Mixin
        FilterOptions filter;
        @Spec
        CommandSpec spec;
        /** The loaded configuration, once {@link #call} read it. */
        ServiceConfig config;

        @Override
        public Integer call() {
            EventFilter f;
            try {
                validate();
                f = filter.filter();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            ServiceConfig c = support.loadForTool();
            config = c;
            try (HikariDataSource ds = CommandSupport.open(c)) {
                SchemaCheck.require(ds, c.relay().tables(), c.source());
                return run(new OutboxQueries(ds, c.database().url(), c.relay().tables(), c.relay().strategy()), f);
            }
        }

        abstract int run(OutboxQueries queries, EventFilter f);

        /** Checks the command's own options; throws {@link IllegalArgumentException} naming the option. */
        void validate() {
        }

        void requireSelection(EventFilter f, boolean all) {
            if (f.matchesAll() && !all) {
                throw new ParameterException(spec.commandLine(), "select events with --id, --aggregate,"
                        + " --aggregate-type, --from or --to, or pass --all to act on every parked event");
            }
        }
    }

    /** {@code parked list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List parked events, oldest first.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed (maybe none)", ExitCodes.FAILURE_HELP,
                ExitCodes.USAGE_HELP, ExitCodes.CONFIG_HELP, ExitCodes.SCHEMA_MISSING_HELP, ExitCodes.SCHEMA_NEWER_HELP,
                ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.UNREACHABLE_HELP})
    static final class ListParked extends Base {
        static final int MAX_LIMIT = 100_000;

        @Option(names = "--limit", defaultValue = "100",
                description = "At most this many, 1.." + MAX_LIMIT + " (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print one JSON array, each event with its whole error.")
        boolean json;

        @Option(names = "--wide", description = "Print each event's whole error instead of its first 100 characters.")
        boolean wide;

        /** Regression (issue 11, item 5): {@code --limit=-1} ended with exit code 1 and a SQL stack trace. */
        @Override
        void validate() {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("--limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
        }

        @Override
        int run(OutboxQueries queries, EventFilter f) {
            ParkedListing.print(queries.parked(f, limit), config.relay().topicTemplate(), json, wide, System.out);
            return ExitCodes.OK;
        }
    }

    /** {@code parked retry}. */
    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Make the selected parked events pending again; the running relay publishes them (attempts reset).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", ExitCodes.FAILURE_HELP,
                ExitCodes.USAGE + ":wrong command line (unknown option, missing --config, malformed value, no selection"
                    + " and no --all)",
                ExitCodes.CONFIG_HELP, ExitCodes.SCHEMA_MISSING_HELP, ExitCodes.SCHEMA_NEWER_HELP,
                ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.UNREACHABLE_HELP, ExitCodes.NOTHING_MATCHED + ":no parked event matched"})
    static final class Retry extends Base {
        @Option(names = "--all", description = "Retry every parked event.")
        boolean all;

        @Override
        int run(OutboxQueries queries, EventFilter f) {
            requireSelection(f, all);
            int n = queries.retryParked(f);
            System.out.println(n + " parked event(s) made pending again");
            return n == 0 ? ExitCodes.NOTHING_MATCHED : ExitCodes.OK;
        }
    }

    /** {@code parked drop}. */
    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Delete the selected parked events for good (they are never published).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", ExitCodes.FAILURE_HELP,
                ExitCodes.USAGE + ":wrong command line (unknown option, missing --config, malformed value, no selection"
                    + " and no --all)",
                ExitCodes.CONFIG_HELP, ExitCodes.SCHEMA_MISSING_HELP, ExitCodes.SCHEMA_NEWER_HELP,
                ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.UNREACHABLE_HELP, ExitCodes.NOTHING_MATCHED + ":no parked event matched"})
    static final class Drop extends Base {
        @Option(names = "--all", description = "Drop every parked event.")
        boolean all;

        @Override
        int run(OutboxQueries queries, EventFilter f) {
            requireSelection(f, all);
            int n = queries.dropParked(f);
            System.out.println(n + " parked event(s) dropped");
            return n == 0 ? ExitCodes.NOTHING_MATCHED : ExitCodes.OK;
        }
    }
}
