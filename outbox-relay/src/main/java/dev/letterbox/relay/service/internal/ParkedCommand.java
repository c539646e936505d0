package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.List;
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

        @Override
        public Integer call() {
            EventFilter f;
            try {
                f = filter.filter();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            ServiceConfig c = support.loadForTool();
            try (HikariDataSource ds = CommandSupport.open(c)) {
                SchemaCheck.require(ds, c.relay().tables(), c.source());
                return run(new OutboxQueries(ds, c.database().url(), c.relay().tables(), c.relay().strategy()), f);
            }
        }

        abstract int run(OutboxQueries queries, EventFilter f);

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
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(OutboxQueries queries, EventFilter f) {
            List<ParkedEvent> events = queries.parked(f, limit);
            System.out.printf("%-36s %-20s %-24s %-20s %8s  %s%n", "id", "aggregate type", "aggregate", "type",
                    "attempts", "error");
            for (ParkedEvent e : events) {
                String error = e.lastError() == null ? "" : e.lastError().replace('\n', ' ');
                System.out.printf("%-36s %-20s %-24s %-20s %8d  %s%n", e.id(), e.aggregateType(), e.aggregateId(),
                        e.type(), e.attempts(), error.length() > 120 ? error.substring(0, 117) + "..." : error);
            }
            System.out.println(events.size() + " parked event(s) shown");
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
