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

    private static final List<String> NAMES = List.of("orders", "events-per-order", "events-per-second", "redeliver",
            "partitions", "timeout", "relay-jar");

    public QuickstartOptions {
        requireRange("orders", orders, 1, 10_000);
        requireRange("events-per-order", eventsPerOrder, 3, 1_000);
        requireRange("events-per-second", eventsPerSecond, 1, 100_000);
        requireRange("redeliver", redeliver, 0, 100_000);
        requireRange("partitions", partitions, 1, 64);
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

    /**
     * Reads {@code --orders=N}, {@code --events-per-order=N}, {@code --events-per-second=N},
     * {@code --redeliver=N}, {@code --partitions=N}, {@code --timeout=90s} and {@code --relay-jar=PATH}
     * over the defaults.
     *
     * @throws IllegalArgumentException naming the argument, the rule and the value
     */
    public static QuickstartOptions parse(List<String> args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("quickstart argument '" + arg + "' must look like --name=value, e.g. --orders=16");
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
                number(given, "orders", d.orders),
                number(given, "events-per-order", d.eventsPerOrder),
                number(given, "events-per-second", d.eventsPerSecond),
                number(given, "redeliver", d.redeliver),
                number(given, "partitions", d.partitions),
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

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
