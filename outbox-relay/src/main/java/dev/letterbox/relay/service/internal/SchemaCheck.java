package dev.letterbox.relay.service.internal;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaStatus;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Checks, before the relay starts, that the outbox tables exist at the version this relay knows.
 *
 * <p>Stateless and thread-safe.
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * Returns when the schema is current.
     *
     * @param configFile shown in the "run migrate" hint
     * @throws FatalStartupException with {@link ExitCodes#SCHEMA_MISSING} or {@link ExitCodes#SCHEMA_NEWER}
     */
    public static SchemaStatus require(DataSource dataSource, OutboxTables tables, String configFile) {
        SchemaStatus status = OutboxSchema.of(tables).status(dataSource);
        if (status.current() == 0) {
            throw new FatalStartupException(ExitCodes.SCHEMA_MISSING, "the outbox tables (" + tables.eventTable()
                    + ", " + tables.leaseTable() + ") do not exist in this database: run `java -jar outbox-relay.jar"
                    + " migrate --config " + configFile + "` first (or check database.schema and database.table-prefix)",
                    null);
        }
        if (status.newerThanLibrary()) {
            throw new FatalStartupException(ExitCodes.SCHEMA_NEWER, "the outbox schema is at version "
                    + status.current() + " but this relay knows versions up to " + status.expected()
                    + ": it was migrated by a newer Letterbox. Run a relay of that version or newer; this one will not"
                    + " touch the tables", null);
        }
        if (!status.upToDate()) {
            throw new FatalStartupException(ExitCodes.SCHEMA_MISSING, "the outbox schema is at version "
                    + status.current() + ", this relay needs version " + status.expected() + ": run `java -jar"
                    + " outbox-relay.jar migrate --config " + configFile + "` first", null);
        }
        return status;
    }

    /** True when {@code e} (or a cause) is a database connection failure rather than a SQL error. */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
