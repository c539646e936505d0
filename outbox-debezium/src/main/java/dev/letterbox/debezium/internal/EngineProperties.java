package dev.letterbox.debezium.internal;

import dev.letterbox.debezium.CdcConfigException;
import dev.letterbox.debezium.CdcSettings;
import dev.letterbox.outbox.WriteMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * Builds the Debezium engine configuration for a {@link DatabaseTarget}: connector, offsets and
 * schema history in the database, the outbox table filter, heartbeat; the user's keys win.
 * Stateless and thread-safe.
 */
final class EngineProperties {

    /** Debezium's JDBC stores refuse an empty password; trust and peer authentication ignore this one. */
    static final String PLACEHOLDER_PASSWORD = "unused-by-trust-auth";

    /** The schema history table, with a text column MariaDB accepts in any character set. */
    static final String HISTORY_TABLE_DDL = "CREATE TABLE %s (id VARCHAR(36) NOT NULL, history_data MEDIUMTEXT,"
            + " history_data_seq INTEGER, record_insert_ts TIMESTAMP NOT NULL, record_insert_seq INTEGER NOT NULL,"
            + " PRIMARY KEY (id, history_data_seq))";

    private EngineProperties() {
    }

    /** The replication slot (PostgreSQL) this configuration uses. */
    static String slotName(DatabaseTarget target, CdcSettings settings) {
        return settings.debezium().getOrDefault("slot.name",
                identifier("letterbox_" + target.database() + "_" + target.schema() + "_" + target.eventTable()));
    }

    /** The publication (PostgreSQL) this configuration uses. */
    static String publicationName(DatabaseTarget target, CdcSettings settings) {
        return settings.debezium().getOrDefault("publication.name", identifier(target.eventTable() + "_cdc"));
    }

    static Properties build(DatabaseTarget target, CdcSettings settings) {
        Properties p = new Properties();
        String name = "letterbox-" + target.schema() + "-" + target.eventTable();
        p.setProperty("name", name);
        p.setProperty("topic.prefix", identifier("letterbox_" + target.eventTable()));
        p.setProperty("database.hostname", target.host());
        p.setProperty("database.port", Integer.toString(target.port()));
        p.setProperty("database.user", target.user());
        p.setProperty("database.password", target.password());
        // TABLE: the first start publishes rows still PENDING (e.g. when switching from polling); later starts resume
        p.setProperty("snapshot.mode", settings.writeMode() == WriteMode.TABLE ? "initial" : "no_data");
        if (settings.writeMode() == WriteMode.TABLE) {
            // read only the PENDING rows, in seq order as polling claims them, not the millions of published ones
            String captured = (target.kind() == DatabaseTarget.Kind.POSTGRES ? target.schema() : target.database())
                    + "." + target.eventTable();
            p.setProperty("snapshot.select.statement.overrides", captured);
            p.setProperty("snapshot.select.statement.overrides." + captured, pendingRowsSelect(target));
        }
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("heartbeat.interval.ms", "10000");
        if (target.kind() == DatabaseTarget.Kind.POSTGRES) {
            // DBZ-892: a publication of the outbox table alone gives the slot nothing to confirm while the
            // outbox is idle and other tables are busy; a message through the slot lets it move on
            p.setProperty("heartbeat.action.query", heartbeatQuery(settings));
        }
        p.setProperty("poll.interval.ms", "10");
        // what a SIGKILL sends again is what was acknowledged since the last stored offset: at most this
        // interval plus the marks' write and one batch (it was 1000: about a second of events per kill)
        p.setProperty("offset.flush.interval.ms", "250");
        p.setProperty("offset.flush.timeout.ms", "5000");
        String storePassword = storePassword(target, settings);
        p.setProperty("offset.storage", FencedOffsetStore.class.getName()); // fenced with the lease: see there
        p.setProperty("offset.storage.jdbc.connection.url", target.jdbcUrl());
        p.setProperty("offset.storage.jdbc.connection.user", target.user());
        p.setProperty("offset.storage.jdbc.connection.password", storePassword);
        p.setProperty("offset.storage.jdbc.table.name", qualified(target, target.eventTable() + "_cdc_offset"));
        if (target.kind() == DatabaseTarget.Kind.POSTGRES) {
            p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            p.setProperty("plugin.name", "pgoutput");
            p.setProperty("database.dbname", target.database());
            p.setProperty("slot.name", slotName(target, settings));
            p.setProperty("publication.name", publicationName(target, settings));
            p.setProperty("publication.autocreate.mode", "disabled");
            // a new owner finds the slot still held by the instance it took over from (frozen, or its
            // walsender not yet gone) and retries: every second instead of Debezium's 10 s, the same minute
            // in all. Measured (CdcChaosIT): the 10 s wait after a freeze left a backlog whose marks and
            // offsets trailed the engine when the next fault struck; everything after the last stored
            // offset was sent again
            p.setProperty("slot.retry.delay.ms", "1000");
            p.setProperty("slot.max.retries", "60");
            p.setProperty("table.include.list", target.schema() + "." + target.eventTable());
            // the heartbeat's prefix too: the decoder skips those messages, and their position is confirmed
            p.setProperty("message.prefix.include.list", java.util.regex.Pattern.quote(settings.messagePrefix()) + ","
                    + java.util.regex.Pattern.quote(heartbeatPrefix(settings)));
        } else {
            p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
            p.setProperty("database.server.id", Long.toString(serverId(target)));
            p.setProperty("database.include.list", target.database());
            p.setProperty("table.include.list", target.database() + "." + target.eventTable());
            p.setProperty("include.schema.changes", "false");
            // no_data still reads the table definitions; with locks it would block our own history writes
            p.setProperty("snapshot.locking.mode", "none");
            p.setProperty("schema.history.internal", "io.debezium.storage.jdbc.history.JdbcSchemaHistory");
            p.setProperty("schema.history.internal.jdbc.connection.url", target.jdbcUrl());
            p.setProperty("schema.history.internal.jdbc.connection.user", target.user());
            p.setProperty("schema.history.internal.jdbc.connection.password", storePassword);
            p.setProperty("schema.history.internal.jdbc.table.name", qualified(target, target.eventTable() + "_cdc_history"));
            // Debezium's default DDL has history_data VARCHAR(65000), which MariaDB refuses in a utf8mb4
            // database ("Column length too big"): the engine then retried creating it forever
            p.setProperty("schema.history.internal.jdbc.table.ddl", HISTORY_TABLE_DDL);
            p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
        }
        settings.debezium().forEach(p::setProperty);
        return p;
    }

    /** The prefix of the heartbeat's logical message (PostgreSQL): the events' prefix plus {@code .heartbeat}. */
    static String heartbeatPrefix(CdcSettings settings) {
        return settings.messagePrefix() + ".heartbeat";
    }

    /**
     * A non-transactional, empty logical message: WAL that reaches the slot whatever the publication
     * holds, with no table to create or grant.
     */
    static String heartbeatQuery(CdcSettings settings) {
        return "SELECT pg_logical_emit_message(false, '" + heartbeatPrefix(settings).replace("'", "''") + "', '')";
    }

    /** How often the engine stores its offsets: {@code offset.flush.interval.ms} of {@code properties}. */
    static java.time.Duration offsetFlushInterval(Properties properties) {
        String ms = properties.getProperty("offset.flush.interval.ms");
        long parsed;
        try {
            parsed = Long.parseLong(ms.strip());
        } catch (RuntimeException e) {
            parsed = -1;
        }
        if (parsed < 0) {
            throw new CdcConfigException("debezium.offset.flush.interval.ms", ms,
                    "must be a whole number of milliseconds, 0 or more (e.g. 1000)");
        }
        return java.time.Duration.ofMillis(parsed);
    }

    /** The snapshot's select in TABLE mode: the PENDING rows only, in {@code seq} (commit) order. */
    static String pendingRowsSelect(DatabaseTarget target) {
        if (target.kind() == DatabaseTarget.Kind.POSTGRES) {
            // the polling relay's log mode (its default on PostgreSQL) leaves published rows PENDING behind
            // its shard positions: those were sent, and a switch to CDC must not send them again
            return "SELECT * FROM " + target.quotedEventTable() + " e WHERE e.status = 'PENDING' AND e.seq >"
                    + " COALESCE((SELECT l.position FROM " + target.quotedLeaseTable() + " l"
                    + " WHERE l.name = 'shard-' || e.shard), 0) ORDER BY e.seq";
        }
        return "SELECT * FROM " + target.quotedEventTable() + " WHERE " + target.quote("status") + " = 'PENDING'"
                + " ORDER BY " + target.quote("seq");
    }

    private static String storePassword(DatabaseTarget target, CdcSettings settings) {
        if (!target.password().isEmpty()) {
            return target.password();
        }
        if (target.kind() == DatabaseTarget.Kind.MARIADB) {
            throw new CdcConfigException("debezium.database.password", "",
                    "must be set for MariaDB: Debezium's JDBC offset store and schema history refuse an empty"
                            + " password; give the CDC user a password (docs/cdc.md lists its grants)");
        }
        return PLACEHOLDER_PASSWORD;
    }

    /** Unqualified: the store's JDBC URL selects the schema (PostgreSQL currentSchema, MariaDB database). */
    private static String qualified(DatabaseTarget target, String table) {
        return table;
    }

    /** A stable server id per database and table, so restarts reuse it; override with database.server.id. */
    static long serverId(DatabaseTarget target) {
        CRC32 crc = new CRC32();
        crc.update((target.database() + "." + target.eventTable()).getBytes(StandardCharsets.UTF_8));
        return 100_000 + crc.getValue() % 1_000_000_000L;
    }

    /** Lower-case letters, digits and underscores, at most 63 characters: valid for slots and publications. */
    static String identifier(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.length() <= 63 ? s : s.substring(0, 63);
    }
}
