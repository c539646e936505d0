package dev.letterbox.examples.quickstart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the quickstart runs: how many orders and events, how fast they are written, how many
 * records are re-delivered on purpose, and how long the whole run may take.
 *
 * <p>Immutable and thread-safe; {@link #parse} reads {@code --name=value} arguments.
 *
 * @param orders          number of orders (aggregates), 1..10000; default 64
 * @param eventsPerOrder  events per order, 3..1000 ({@code OrderPlaced}, lines, {@code OrderPaid}); default 50
 * @param eventsPerSecond write rate, 1..100000 events per second; default 800
 * @param redeliver       records the consumer re-reads on purpose to show duplicates dropped, 0..100000; default 200
 * @param partitions      partitions of the order topic, 1..64; default 8
 * @param timeout         the longest the run may take once the servers are up; default 90 s
 * @param relayJar        the relay service jar to run as a child process; when it does not exist the
 *                        relay service's main class runs from this JVM's class path instead
 */
public record QuickstartOptions(int orders, int eventsPerOrder, int eventsPerSecond, int redeliver, int partitions,
                                Duration timeout, Path relayJar) {

    /** The relay jar a build of the whole project leaves, relative to the project's root folder. */
    public static final Path DEFAULT_RELAY_JAR = Path.of("outbox-relay", "target", "outbox-relay.jar");

    /** The arguments that print {@link #usage()} instead of running. */
    public static final List<String> HELP = List.of("--help", "-h");

    /** A whole-number option: its name, its range (both inclusive) and what it sets. */
    private record Range(String name, int min, int max, String what) {
        void check(int value) {
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + value);
            }
        }
    }

    private static final Range ORDERS = new Range("orders", 1, 10_000, "orders (aggregates)");
    private static final Range EVENTS_PER_ORDER = new Range("events-per-order", 3, 1_000,
            "events per order, OrderPlaced and OrderPaid included");
    private static final Range EVENTS_PER_SECOND = new Range("events-per-second", 1, 100_000, "write rate");
    private static final Range REDELIVER = new Range("redeliver", 0, 100_000,
            "records the consumer re-reads on purpose");
    private static final Range PARTITIONS = new Range("partitions", 1, 64, "partitions of the order topic");

    private static final List<String> NAMES = List.of(ORDERS.name, EVENTS_PER_ORDER.name, EVENTS_PER_SECOND.name,
            REDELIVER.name, PARTITIONS.name, "timeout", "relay-jar");

    public QuickstartOptions {
        ORDERS.check(orders);
        EVENTS_PER_ORDER.check(eventsPerOrder);
        EVENTS_PER_SECOND.check(eventsPerSecond);
        REDELIVER.check(redeliver);
        PARTITIONS.check(partitions);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be a positive duration such as 90s, was " + timeout);
        }
        if (relayJar == null) {
            throw new IllegalArgumentException("--relay-jar must name a file, was empty");
        }
    }

    /** The defaults: 64 orders of 50 events at 800 events/s, 200 re-deliveries, 8 partitions, 90 s. */
    public static QuickstartOptions ofDefaults() {
        return new QuickstartOptions(64, 50, 800, 200, 8, Duration.ofSeconds(90), DEFAULT_RELAY_JAR);
    }

    /** The number of events the run writes: orders times events per order. */
    public long totalEvents() {
        return (long) orders * eventsPerOrder;
    }

    /** True when {@code args} ask for the usage ({@code --help} or {@code -h}) rather than a run. */
    public static boolean helpRequested(List<String> args) {
        return args.stream().anyMatch(HELP::contains);
    }

    /** What {@code --help} prints: every option with its range and default. */
    public static String usage() {
        QuickstartOptions d = ofDefaults();
        StringBuilder out = new StringBuilder("""
                usage: ./quickstart [--name=value ...]
                   or: java -jar examples/target/letterbox-examples.jar quickstart [--name=value ...]

                Runs the orders example, the real relay service and the shipping consumer on an embedded
                PostgreSQL and Kafka, and checks that every event arrives exactly once (exit code 0).
                Options (docs/quickstart.md):
                """);
        option(out, ORDERS, d.orders);
        option(out, EVENTS_PER_ORDER, d.eventsPerOrder);
        option(out, EVENTS_PER_SECOND, d.eventsPerSecond);
        option(out, REDELIVER, d.redeliver);
        option(out, PARTITIONS, d.partitions);
        out.append(String.format("  %-24s %s; default %ds%n", "--timeout=SECONDS",
                "the longest the run may take once the relay is ready, e.g. 90s", d.timeout.toSeconds()));
        out.append(String.format("  %-24s %s; default %s%n", "--relay-jar=PATH", "the relay service jar to run",
                d.relayJar));
        out.append(String.format("  %-24s %s%n", "-h, --help", "print this and exit"));
        return out.toString();
    }

    private static void option(StringBuilder out, Range range, int defaultValue) {
        out.append(String.format("  %-24s %s, %d..%d; default %d%n", "--" + range.name + "=N", range.what, range.min,
                range.max, defaultValue));
    }

    /**
     * Reads {@code --orders=N}, {@code --events-per-order=N}, {@code --events-per-second=N},
     * {@code --redeliver=N}, {@code --partitions=N}, {@code --timeout=90s} and {@code --relay-jar=PATH}
     * over the defaults.
     *
     * @throws IllegalArgumentException naming the argument, the rule and the value; also for
     *     {@code --help}, which callers check first with {@link #helpRequested}
     */
    public static QuickstartOptions parse(List<String> args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("quickstart argument '" + arg + "' must look like --name=value,"
                        + " e.g. --orders=16 (--help lists them)");
            }
            String name = arg.substring(2, eq);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown quickstart argument --" + name + "; known: --"
                        + String.join(", --", NAMES));
            }
            given.put(name, arg.substring(eq + 1));
        }
        QuickstartOptions d = ofDefaults();
        return new QuickstartOptions(
                number(given, ORDERS.name, d.orders),
                number(given, EVENTS_PER_ORDER.name, d.eventsPerOrder),
                number(given, EVENTS_PER_SECOND.name, d.eventsPerSecond),
                number(given, REDELIVER.name, d.redeliver),
                number(given, PARTITIONS.name, d.partitions),
                given.containsKey("timeout") ? Duration.ofSeconds(number(given, "timeout", 0)) : d.timeout,
                given.containsKey("relay-jar") ? Path.of(given.get("relay-jar")) : d.relayJar);
    }

    private static int number(Map<String, String> given, String name, int otherwise) {
        String value = given.get(name);
        if (value == null) {
            return otherwise;
        }
        String digits = name.equals("timeout") && value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
        try {
            return Integer.parseInt(digits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number"
                    + (name.equals("timeout") ? " of seconds, e.g. 90s" : "") + ", was '" + value + "'", e);
        }
    }
}
