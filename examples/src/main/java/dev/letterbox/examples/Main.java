package dev.letterbox.examples;

import dev.letterbox.examples.orders.OrdersApp;
import dev.letterbox.examples.quickstart.Quickstart;
import dev.letterbox.examples.shipping.ShippingApp;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code letterbox-examples.jar}: {@code quickstart} (the default), {@code orders}
 * or {@code shipping}, followed by that command's arguments. Exits with the command's code.
 *
 * <pre>{@code
 * java -jar examples/target/letterbox-examples.jar quickstart --orders=16
 * }</pre>
 */
public final class Main {

    private Main() {
    }

    /** Runs the command named by the first argument and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command named by the first argument and returns its exit code (2 for a usage error). */
    public static int run(String... args) {
        String command = args.length == 0 ? "quickstart" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        try {
            return switch (command) {
                case "quickstart" -> Quickstart.run(rest, System.out);
                case "orders" -> OrdersApp.run(rest);
                case "shipping" -> ShippingApp.run(rest);
                case "-h", "--help", "help" -> usage(0);
                default -> {
                    System.err.println("unknown command '" + command + "'");
                    yield usage(2);
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    private static int usage(int code) {
        System.err.println("""
                usage: java -jar letterbox-examples.jar [command] [--name=value ...]
                  quickstart  embedded PostgreSQL + Kafka, the real relay, orders written, shipping consuming
                              --orders=64 --events-per-order=50 --events-per-second=800 --redeliver=200
                              --partitions=8 --timeout=90s --relay-jar=outbox-relay/target/outbox-relay.jar
                  orders      writes sample orders to a database (env ORDERS_JDBC_URL, ORDERS_COUNT, ...)
                  shipping    consumes order events from Kafka into shipments (env SHIPPING_JDBC_URL, ...)""");
        return code;
    }
}
