package dev.letterbox.relay.service.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: what the outbox holds and who relays it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the backlog, the age of the oldest unpublished event, parked events, live instances,"
                + " shard owners and jobs (from the lease table) and pending/parked counts per topic.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.CONFIG_HELP,
            ExitCodes.SCHEMA_MISSING_HELP, ExitCodes.SCHEMA_NEWER_HELP, ExitCodes.DATABASE_REFUSED_HELP,
            ExitCodes.UNREACHABLE_HELP})
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    CommandSupport support;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = support.loadForTool();
        try (HikariDataSource ds = CommandSupport.open(c)) {
            SchemaCheck.require(ds, c.relay().tables(), c.source());
            StatusReport r = new OutboxQueries(ds, c.database().url(), c.relay().tables()).status();
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(r));
            } else {
                print(c, r);
            }
        }
        return ExitCodes.OK;
    }

    private static void print(ServiceConfig c, StatusReport r) {
        System.out.printf("outbox           %s%n", c.relay().tables().eventTable());
        System.out.printf("backlog          %d unpublished%n", r.backlog());
        System.out.printf("oldest           %s%n", Durations.human(r.oldestUnpublishedAgeSeconds()));
        System.out.printf("parked           %d%n", r.parked());
        System.out.printf("mode             %s%n", r.mode());
        r.horizonBlockers().forEach(b -> System.out.printf("  horizon held back by %s%n", b));
        System.out.printf("instances        %d live%n", r.instances().size());
        r.instances().forEach(i -> System.out.printf("  %s%n", i.instanceId()));
        System.out.printf("shards           %d of %d owned%n", r.ownedShards(), OutboxSchema.SHARD_COUNT);
        r.shardOwners().forEach(o -> System.out.printf("  %-40s %3d shards (epoch <= %d)%n", o.instanceId(),
                o.shards(), o.maxEpoch()));
        r.jobs().forEach(j -> System.out.printf("job %-12s %s%n", j.name(), j.owner() == null ? "free" : j.owner()));
        Map<String, long[]> perTopic = new TreeMap<>();
        String template = c.relay().topicTemplate();
        r.topics().forEach(t -> {
            String topic = Topics.of(template, t.topic(), t.aggregateType(), t.type());
            long[] counts = perTopic.computeIfAbsent(topic, k -> new long[2]);
            counts[OutboxQueries.PARKED.equals(t.status()) ? 1 : 0] += t.count();
        });
        System.out.printf("%-40s %10s %10s%n", "topic", "pending", "parked");
        perTopic.forEach((topic, n) -> System.out.printf("%-40s %10d %10d%n", topic, n[0], n[1]));
    }
}
