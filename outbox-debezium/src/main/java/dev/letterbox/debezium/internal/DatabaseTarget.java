package dev.letterbox.debezium.internal;

import dev.letterbox.debezium.CdcConfigException;
import dev.letterbox.outbox.OutboxTables;
import java.net.URI;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where the outbox lives, as Debezium needs it: product, host, port, database, schema, user and
 * password, read from the relay's {@link DataSource} and overridable with {@code database.*} keys.
 * Immutable and thread-safe.
 *
 * @param kind       the product
 * @param jdbcUrl    the JDBC URL the offset store and schema history connect with (no credentials)
 * @param host       the server's host
 * @param port       the server's port
 * @param database   the database (PostgreSQL) or schema (MariaDB) holding the tables
 * @param schema     the schema of the outbox table (PostgreSQL), equal to {@code database} on MariaDB
 * @param eventTable the unqualified outbox event table
 * @param leaseTable the unqualified lease table
 * @param user       the user Debezium connects as
 * @param password   its password, empty when none
 */
record DatabaseTarget(Kind kind, String jdbcUrl, String host, int port, String database, String schema,
                      String eventTable, String leaseTable, String user, String password) {

    /** The products the strategy supports. */
    enum Kind { POSTGRES, MARIADB }

    /** The outbox event table as {@code schema.table}, quoted for SQL. */
    String quotedEventTable() {
        return quote(schema) + "." + quote(eventTable);
    }

    /** The lease table as {@code schema.table}, quoted for SQL. */
    String quotedLeaseTable() {
        return quote(schema) + "." + quote(leaseTable);
    }

    /** An identifier quoted for this product. */
    String quote(String identifier) {
        return kind == Kind.POSTGRES ? '"' + identifier + '"' : '`' + identifier + '`';
    }

    /**
     * Reads the target from a connection of the data source; {@code database.hostname},
     * {@code database.port}, {@code database.dbname}, {@code database.user} and
     * {@code database.password} in {@code overrides} win over what the connection tells.
     *
     * @throws UnreachableException when no connection could be had or a query failed
     */
    static DatabaseTarget of(DataSource dataSource, OutboxTables tables, Map<String, String> overrides) {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            Kind kind;
            if (product.contains("postgres")) {
                kind = Kind.POSTGRES;
            } else if (product.contains("mariadb") || product.contains("mysql")) {
                kind = Kind.MARIADB;
            } else {
                throw new CdcConfigException("relay.strategy", "cdc", "needs PostgreSQL or MariaDB, the outbox"
                        + " database is " + meta.getDatabaseProductName() + ": use relay.strategy: polling");
            }
            String url = meta.getURL();
            URI uri = URI.create(url.substring("jdbc:".length()));
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            String current = currentSchema(c, kind);
            String schema = tables.schema() != null ? tables.schema() : current;
            String db = kind == Kind.POSTGRES ? c.getCatalog() : schema;
            String user = overrides.getOrDefault("database.user",
                    meta.getUserName() == null ? param(query, "user", "") : meta.getUserName().replaceAll("@.*$", ""));
            String password = overrides.getOrDefault("database.password", param(query, "password", ""));
            String host = overrides.getOrDefault("database.hostname", uri.getHost());
            int port = overrides.containsKey("database.port") ? Integer.parseInt(overrides.get("database.port"))
                    : uri.getPort() > 0 ? uri.getPort() : kind == Kind.POSTGRES ? 5432 : 3306;
            db = overrides.getOrDefault("database.dbname", db);
            String scheme = url.substring(0, url.indexOf("//") + 2);
            String jdbcUrl = scheme + host + ":" + port + "/" + db
                    + (kind == Kind.POSTGRES ? "?currentSchema=" + schema : "");
            return new DatabaseTarget(kind, jdbcUrl, host, port, db, schema, tables.eventTable(), tables.leaseTable(),
                    user, password);
        } catch (SQLException e) {
            throw new UnreachableException("CDC could not read the outbox database's address: "
                    + e.getMessage() + " (check that the database is reachable)", e);
        }
    }

    /** The database could not be asked for its address (unreachable, or failing); retriable. */
    static final class UnreachableException extends dev.letterbox.relay.RelayException {

        UnreachableException(String message, SQLException cause) {
            super(message, cause);
        }
    }

    private static String currentSchema(Connection c, Kind kind) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(kind == Kind.POSTGRES ? "SELECT current_schema()" : "SELECT DATABASE()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new CdcConfigException("database.schema", null, "is needed: the connection has no current "
                        + (kind == Kind.POSTGRES ? "schema" : "database") + "; set database.schema or name one in the JDBC URL");
            }
            return schema;
        }
    }

    private static String param(String query, String name, String fallback) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return fallback;
    }
}
