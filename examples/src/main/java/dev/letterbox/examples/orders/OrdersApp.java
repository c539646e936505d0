package dev.letterbox.examples.orders;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.examples.AppSettings;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The orders example as a program: migrates the outbox schema, creates {@code orders}, then places,
 * extends and pays {@code count} orders, each change with its events in one transaction.
 *
 * <p>Settings ({@code --name=value} or environment variable):
 * {@code --jdbc-url} / {@code ORDERS_JDBC_URL} (required, PostgreSQL),
 * {@code --db-user} / {@code ORDERS_DB_USER}, {@code --db-password} / {@code ORDERS_DB_PASSWORD},
 * {@code --count} / {@code ORDERS_COUNT} (default 10),
 * {@code --api} / {@code ORDERS_API}: {@code jooq} (default) or {@code jdbc}.
 */
public final class OrdersApp {

    private static final Set<String> SETTINGS = Set.of("jdbc-url", "db-user", "db-password", "count", "api");

    private OrdersApp() {
    }

    /** Runs the example with arguments and environment; returns the exit code. */
    public static int run(List<String> args) {
        AppSettings settings = AppSettings.parse(args, SETTINGS, "ORDERS_", System::getenv);
        String api = settings.get("api", "jooq");
        if (!api.equals("jooq") && !api.equals("jdbc")) {
            throw new IllegalArgumentException("api must be jooq or jdbc, was '" + api + "'");
        }
        int count = settings.integer("count", 10, 1, 1_000_000);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.require("jdbc-url"));
        pool.setUsername(settings.get("db-user", null));
        pool.setPassword(settings.get("db-password", null));
        pool.setMaximumPoolSize(2);
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            OutboxSchema.ofDefaults().migrate(dataSource);
            OrderSchema.create(dataSource);
            Outbox outbox = Outbox.builder().build();
            for (int i = 0; i < count; i++) {
                String orderId = "order-" + UUID.randomUUID();
                if (api.equals("jooq")) {
                    placeWithJooq(DSL.using(dataSource, SQLDialect.POSTGRES), new OrderService(outbox), orderId);
                } else {
                    placeWithJdbc(dataSource.getConnection(), new JdbcOrderService(outbox), orderId);
                }
                System.out.println("placed, extended and paid " + orderId + " (5 events) with " + api);
            }
            return 0;
        } catch (SQLException e) {
            System.err.println("orders: database error: " + e.getMessage());
            return 1;
        }
    }

    private static void placeWithJooq(DSLContext dsl, OrderService orders, String orderId) {
        dsl.transaction(tx -> orders.placeOrder(tx.dsl(), orderId, "ada",
                List.of(new OrderLine("sku-100", 1, 1250), new OrderLine("sku-200", 2, 990))));
        dsl.transaction(tx -> orders.addLines(tx.dsl(), orderId, List.of(new OrderLine("sku-300", 1, 4500))));
        dsl.transaction(tx -> orders.markPaid(tx.dsl(), orderId));
    }

    private static void placeWithJdbc(Connection connection, JdbcOrderService orders, String orderId) throws SQLException {
        try (Connection c = connection) {
            c.setAutoCommit(false);
            orders.placeOrder(c, orderId, "grace", List.of(new OrderLine("sku-100", 1, 1250), new OrderLine("sku-200", 2, 990)));
            c.commit();
            orders.addLines(c, orderId, List.of(new OrderLine("sku-300", 1, 4500)));
            c.commit();
            orders.markPaid(c, orderId);
            c.commit();
        }
    }
}
