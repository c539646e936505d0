package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.relay.service.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: publishes already published events again, by making them pending at a limited
 * rate so that the running relay sends them through the same publisher (same Kafka record
 * contract, same order per aggregate, same leases), then waits until they are published.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-publish already published events, selected by id, aggregate or time range.",
            "Marks them pending again at most --rate per second; the running relay publishes them (consumers see"
                + " the same event ids again, so an inbox drops what it already applied). Shows progress on stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every selected event was published again", ExitCodes.FAILURE_HELP,
            ExitCodes.USAGE_SELECTION_HELP, ExitCodes.CONFIG_HELP, ExitCodes.SCHEMA_MISSING_HELP,
            ExitCodes.SCHEMA_NEWER_HELP, ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.UNREACHABLE_HELP,
            ExitCodes.NOTHING_MATCHED + ":no published event matched",
            ExitCodes.TIMED_OUT + ":not all were published within --timeout (is a relay running?)"})
public final class ReplayCommand implements Callable<Integer> {

    private static final int CHUNK = 1000;

    @Mixin
    CommandSupport support;
    @Mixin
    FilterOptions filter;
    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "500", paramLabel = "EVENTS_PER_SECOND",
            description = "At most this many events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long to wait for the relay to publish them (default ${DEFAULT-VALUE}); 0s to not wait.")
    String timeout;

    @Override
    public Integer call() {
        EventFilter f;
        Duration wait;
        try {
            f = filter.filter();
            wait = ValueType.parseDuration(timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (f.matchesAll()) {
            throw new ParameterException(spec.commandLine(),
                    "select events with --id, --aggregate, --aggregate-type, --from or --to");
        }
        if (rate < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1, was " + rate);
        }
        ServiceConfig c = support.loadForTool();
        try (HikariDataSource ds = CommandSupport.open(c)) {
            SchemaCheck.require(ds, c.relay().tables(), c.source());
            OutboxQueries queries = new OutboxQueries(ds, c.database().url(), c.relay().tables(), c.relay().strategy());
            long total = queries.countPublished(f);
            if (total == 0) {
                System.out.println("no published event matched");
                return ExitCodes.NOTHING_MATCHED;
            }
            List<Object> requeued = requeue(queries, f, total);
            if (wait.isZero()) {
                System.out.println(requeued.size() + " event(s) queued for publishing again");
                return ExitCodes.OK;
            }
            return awaitPublished(queries, requeued, wait);
        }
    }

    private List<Object> requeue(OutboxQueries queries, EventFilter f, long total) {
        ProgressBar bar = new ProgressBar(System.err, "queued", total);
        List<Object> requeued = new ArrayList<>();
        int page = Math.max(1, Math.min(CHUNK, rate / 10));
        long started = System.nanoTime();
        long afterSeq = Long.MIN_VALUE;
        long upToSeq = queries.maxPublishedSeq(f); // log mode re-inserts replayed rows above it
        while (true) {
            List<Object[]> rows = queries.published(f, afterSeq, upToSeq, page);
            if (rows.isEmpty()) {
                break;
            }
            List<Object> ids = rows.stream().map(r -> r[1]).toList();
            afterSeq = (Long) rows.get(rows.size() - 1)[0];
            queries.requeue(ids);
            requeued.addAll(ids);
            bar.update(requeued.size(), false);
            long due = started + (long) (requeued.size() * 1e9 / rate);
            LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
        }
        bar.finish(requeued.size());
        return requeued;
    }

    private int awaitPublished(OutboxQueries queries, List<Object> ids, Duration wait) {
        ProgressBar bar = new ProgressBar(System.err, "published", ids.size());
        long deadline = System.nanoTime() + wait.toNanos();
        long published = 0;
        while (true) {
            long pending = 0;
            for (int i = 0; i < ids.size(); i += CHUNK) {
                pending += queries.countUnpublished(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
            }
            published = ids.size() - pending;
            bar.update(published, true);
            if (pending == 0 || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        bar.finish(published);
        if (published < ids.size()) {
            // regression (issue 11, item 15): the message said "after PT5S"
            System.out.println((ids.size() - published) + " of " + ids.size() + " event(s) not yet published after "
                    + ValueType.formatDuration(wait) + ": is a relay running on this outbox?");
            return ExitCodes.TIMED_OUT;
        }
        System.out.println(ids.size() + " event(s) published again");
        return ExitCodes.OK;
    }
}
