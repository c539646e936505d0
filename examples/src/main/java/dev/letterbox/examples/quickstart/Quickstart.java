package dev.letterbox.examples.quickstart;

import dev.letterbox.examples.orders.JdbcOrderService;
import dev.letterbox.examples.orders.OrderEvents;
import dev.letterbox.examples.orders.OrderSchema;
import dev.letterbox.examples.orders.OrderService;
import dev.letterbox.examples.shipping.ShipmentSchema;
import dev.letterbox.examples.shipping.ShippingConsumer;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.TestDatabase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The one-command quickstart: starts an embedded PostgreSQL and an in-process Kafka broker,
 * migrates the schema, writes sample orders and their events in transactions, runs the real relay
 * service (its jar, its YAML config loading) as a child process, consumes the events through the
 * inbox with some records re-delivered on purpose, shows progress every second, prints a summary
 * and checks it. Everything it started is stopped and its temporary folder deleted on exit.
 *
 * <pre>{@code
 * java -jar examples/target/letterbox-examples.jar quickstart --orders=64 --events-per-order=50
 * }</pre>
 */
public final class Quickstart {

    private final QuickstartOptions options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    private Quickstart(QuickstartOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the quickstart with {@code --name=value} arguments (see {@link QuickstartOptions#parse})
     * and returns its exit code: 0 when every check passed, 1 otherwise. With {@code --help} (or
     * {@code -h}) it prints the options with their defaults to {@code out} and returns 0, starting nothing.
     *
     * @throws IllegalArgumentException for a bad argument, before anything starts
     */
    public static int run(List<String> args, PrintStream out) {
        if (QuickstartOptions.helpRequested(args)) {
            out.print(QuickstartOptions.usage());
            out.flush();
            return 0;
        }
        return new Quickstart(QuickstartOptions.parse(args), out).run();
    }

    private int run() {
        out.printf("Letterbox quickstart: %d orders x %d events at %d events/s, the real relay, a consumer with an inbox%n",
                options.orders(), options.eventsPerOrder(), options.eventsPerSecond());
        try (EmbeddedStack stack = EmbeddedStack.create()) {
            say("files        " + stack.directory() + " (deleted on exit)");
            TestDatabase db = stack.startPostgres();
            say("PostgreSQL   embedded, " + db.jdbcUrl());
            EmbeddedKafkaBroker kafka = stack.startKafka();
            kafka.createTopic(OrderEvents.TOPIC, options.partitions());
            say("Kafka        in-process broker at " + kafka.bootstrapServers() + ", topic " + OrderEvents.TOPIC
                    + " with " + options.partitions() + " partitions");
            DataSource dataSource = db.dataSource();
            OutboxSchema.ofDefaults().migrate(dataSource);
            OrderSchema.create(dataSource);
            ShipmentSchema.create(dataSource);
            say("schema       outbox tables migrated, orders and shipments created");

            int adminPort = RelayProcess.freePort();
            Path config = RelayConfigFile.write(stack.directory(), db.jdbcUrl(), db.username(), db.password(),
                    kafka.bootstrapServers(), adminPort);
            RelayProcess relay = stack.register(RelayProcess.start(options.relayJar(), config,
                    stack.directory().resolve("relay.log")));
            say("relay        " + relay.description() + " (pid " + relay.pid() + ")");
            ShippingConsumer shipping = stack.register(ShippingConsumer.start(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), dataSource,
                    ShippingConsumer.CONSUMER, OrderEvents.TOPIC));
            say("consumer     '" + ShippingConsumer.CONSUMER + "' applies each event once through the inbox");
            if (!relay.awaitReady(adminPort, Duration.ofSeconds(60))) {
                out.println("FAILED: the relay did not report ready on http://127.0.0.1:" + adminPort + "/health/ready");
                printRelayLog(stack, relay);
                return 1;
            }
            say("relay        ready: /health/ready on port " + adminPort + " answered 200");

            Outbox outbox = Outbox.builder().build();
            SampleWriter writer = new SampleWriter(DSL.using(dataSource, SQLDialect.POSTGRES), dataSource,
                    new OrderService(outbox), new JdbcOrderService(outbox), options);
            Thread writerThread = new Thread(writer, "quickstart-writer");
            writerThread.start();
            out.println();
            boolean done = followProgress(dataSource, writer, relay, shipping);
            writerThread.interrupt();
            writerThread.join(10_000);
            if (writer.failure() != null) {
                out.println("FAILED: the writer stopped: " + writer.failure());
            }
            shipping.close();
            int relayExit = relay.stop();
            Summary summary = Summary.read(dataSource, writer.eventsWritten.get(), writer.rolledBackEvents.get(),
                    shipping.duplicatesDropped(), shipping.rewound(), relayExit);
            summary.print(out, options.orders(), options.eventsPerOrder(), writer.transactions.get(),
                    writer.multiEventTransactions.get(), seconds());
            List<String> problems = summary.problems();
            if (!done) {
                printRelayLog(stack, relay);
            }
            if (problems.isEmpty() && done && writer.failure() == null) {
                out.println("\nOK: every committed event was published once and applied once; duplicates were dropped.");
                return 0;
            }
            problems.forEach(p -> out.println("FAILED: " + p));
            return 1;
        } catch (Exception e) {
            out.println("FAILED: " + e);
            e.printStackTrace(out);
            return 1;
        } finally {
            out.printf("Stopped the relay, Kafka and PostgreSQL and deleted their files (%.1f s in all).%n", seconds());
        }
    }

    /** Prints a progress line every second until everything is consumed, the time is up or a part died. */
    private boolean followProgress(DataSource dataSource, SampleWriter writer, RelayProcess relay,
                                   ShippingConsumer shipping) throws SQLException, InterruptedException {
        long total = options.totalEvents();
        int firstRewind = options.redeliver() / 2;
        boolean secondRewindAsked = false;
        long deadline = System.nanoTime() + options.timeout().toNanos();
        boolean firstRewindAsked = false;
        while (true) {
            Thread.sleep(1000);
            long written = writer.eventsWritten.get();
            long published = countPublished(dataSource);
            out.printf("[%5.1fs] written %,6d/%,d  published %,6d  consumed %,6d  duplicates dropped %,4d%n",
                    seconds(), written, total, published, shipping.applied(), shipping.duplicatesDropped());
            if (!firstRewindAsked && shipping.applied() >= total / 2) {
                shipping.rewind(firstRewind);
                firstRewindAsked = true;
            }
            boolean allThrough = writer.finished() && published == written && shipping.applied() == written;
            if (allThrough && !secondRewindAsked) {
                shipping.rewind(options.redeliver() - firstRewind);
                secondRewindAsked = true;
            } else if (allThrough && shipping.duplicatesDropped() >= shipping.rewound()) {
                return writer.failure() == null;
            }
            if (writer.failure() != null) {
                return false;
            }
            if (!relay.isAlive()) {
                out.println("FAILED: the relay exited with code " + relay.exitCode());
                return false;
            }
            if (System.nanoTime() > deadline) {
                out.println("FAILED: not done within --timeout=" + options.timeout().toSeconds() + "s"
                        + (shipping.lastError() == null ? "" : "; consumer's last error: " + shipping.lastError().getMessage()));
                return false;
            }
        }
    }

    private void printRelayLog(EmbeddedStack stack, RelayProcess relay) {
        out.println("  relay log (last 20 lines of " + stack.directory().resolve("relay.log") + "):");
        relay.logTail(20).forEach(line -> out.println("    " + line));
    }

    private static long countPublished(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from outbox_event e where " + Summary.PUBLISHED)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void say(String line) {
        out.printf("[%5.1fs] %s%n", seconds(), line);
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
