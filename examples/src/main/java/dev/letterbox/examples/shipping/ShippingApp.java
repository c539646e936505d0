package dev.letterbox.examples.shipping;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.examples.AppSettings;
import dev.letterbox.examples.orders.OrderEvents;
import dev.letterbox.outbox.OutboxSchema;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The shipping example as a program: creates {@code shipments} and the inbox table in its own
 * database, then consumes {@code outbox.event.order} until it is stopped (SIGTERM or Ctrl-C),
 * printing its counts every 5 seconds.
 *
 * <p>Settings ({@code --name=value} or environment variable):
 * {@code --jdbc-url} / {@code SHIPPING_JDBC_URL} (required, PostgreSQL),
 * {@code --db-user} / {@code SHIPPING_DB_USER}, {@code --db-password} / {@code SHIPPING_DB_PASSWORD},
 * {@code --kafka-bootstrap-servers} / {@code SHIPPING_KAFKA_BOOTSTRAP_SERVERS} (required),
 * {@code --group} / {@code SHIPPING_GROUP} (default {@code shipping}).
 */
public final class ShippingApp {

    private static final Set<String> SETTINGS = Set.of("jdbc-url", "db-user", "db-password", "kafka-bootstrap-servers", "group");

    private ShippingApp() {
    }

    /** Runs the consumer until the JVM is asked to stop; returns the exit code. */
    public static int run(List<String> args) {
        AppSettings settings = AppSettings.parse(args, SETTINGS, "SHIPPING_", System::getenv);
        String bootstrap = settings.require("kafka-bootstrap-servers");
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.require("jdbc-url"));
        pool.setUsername(settings.get("db-user", null));
        pool.setPassword(settings.get("db-password", null));
        pool.setMaximumPoolSize(2);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shipping-shutdown"));
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            OutboxSchema.ofDefaults().migrate(dataSource);
            ShipmentSchema.create(dataSource);
            try (ShippingConsumer shipping = ShippingConsumer.start(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), dataSource,
                    settings.get("group", ShippingConsumer.CONSUMER), OrderEvents.TOPIC)) {
                System.out.println("shipping: consuming " + OrderEvents.TOPIC + " from " + bootstrap);
                while (!stop.await(5, TimeUnit.SECONDS)) {
                    System.out.printf("shipping: applied %d, duplicates dropped %d%n", shipping.applied(), shipping.duplicatesDropped());
                }
            }
            return 0;
        } catch (SQLException e) {
            System.err.println("shipping: database error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stopped.countDown();
        }
    }
}
