package dev.letterbox.examples.orders;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates the orders service's own table, {@code orders}, on PostgreSQL (the outbox tables come
 * from the outbox schema migration). Idempotent; stateless and thread-safe.
 */
public final class OrderSchema {

    static final String DDL = """
            create table if not exists orders (
                id          varchar(64)  primary key,
                customer    varchar(255) not null,
                status      varchar(16)  not null,
                line_count  int          not null,
                total_cents bigint       not null,
                version     int          not null,
                created_at  timestamptz  not null default now()
            )""";

    private OrderSchema() {
    }

    /** Creates {@code orders} if it does not exist yet. */
    public static void create(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }
}
