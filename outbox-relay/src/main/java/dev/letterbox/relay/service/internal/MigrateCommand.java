package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.outbox.MigrationReport;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaStatus;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate}: creates or upgrades the outbox tables; safe to run from several processes at once. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Create or upgrade the outbox tables (event, lease, inbox, schema version). Idempotent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the schema is current", ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.CONFIG_HELP,
            ExitCodes.SCHEMA_NEWER_HELP, ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.UNREACHABLE_HELP})
public final class MigrateCommand implements Callable<Integer> {

    @Mixin
    CommandSupport support;

    @Override
    public Integer call() {
        ServiceConfig c = support.loadForTool();
        OutboxTables tables = c.relay().tables();
        try (HikariDataSource ds = CommandSupport.open(c)) {
            // the version found under the migration lock: of several processes migrating at once, one
            // reports the change (regression: each read "before" outside the lock and printed "from 0 to 3")
            MigrationReport report = OutboxSchema.of(tables).migrateReporting(ds);
            SchemaStatus after = report.status();
            System.out.println(!report.migrated()
                    ? "outbox schema already at version " + after.current() + " (" + tables.eventTable() + ")"
                    : "outbox schema migrated from version " + report.fromVersion() + " to " + after.current()
                            + " (" + tables.eventTable() + ", " + tables.leaseTable() + ", " + tables.inboxTable() + ")");
        }
        return ExitCodes.OK;
    }
}
