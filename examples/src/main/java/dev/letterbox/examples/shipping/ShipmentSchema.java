package dev.letterbox.examples.shipping;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates the shipping service's own table, {@code shipments}, on PostgreSQL (the inbox table
 * comes from the outbox schema migration). Idempotent; stateless and thread-safe.
 */
public final class ShipmentSchema {

    static final String DDL = """
            create table if not exists shipments (
                order_id      varchar(64)  primary key,
                customer      varchar(255) not null,
                status        varchar(16)  not null,
                items         int          not null,
                order_version int          not null,
                updated_at    timestamptz  not null default now()
            )""";

    private ShipmentSchema() {
    }

    /** Creates {@code shipments} if it does not exist yet. */
    public static void create(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }
}
