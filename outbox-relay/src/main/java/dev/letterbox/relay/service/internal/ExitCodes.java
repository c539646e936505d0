package dev.letterbox.relay.service.internal;

import dev.letterbox.outbox.SchemaMissingException;
import dev.letterbox.outbox.SchemaVersionException;
import dev.letterbox.relay.service.ConfigException;

/**
 * The exit codes of {@code outbox-relay.jar}, documented in docs/service.md; scripts may rely on them.
 */
public final class ExitCodes {

    /** Success; for {@code run}, a clean stop after SIGTERM or SIGINT. */
    public static final int OK = 0;
    /** An unexpected error; the message (and the log) say what. */
    public static final int FAILURE = 1;
    /** The command line is wrong (unknown command or option, missing argument). */
    public static final int USAGE = 2;
    /** The configuration file is missing, malformed or invalid. */
    public static final int CONFIG = 3;
    /** The outbox tables do not exist: run {@code migrate}. */
    public static final int SCHEMA_MISSING = 4;
    /** The outbox tables were migrated by a newer Letterbox than this relay. */
    public static final int SCHEMA_NEWER = 5;
    /** The database refused the connection (wrong user, password or database name). */
    public static final int DATABASE_REFUSED = 6;
    /** The database or Kafka could not be reached (one-shot commands; {@code run} waits instead). */
    public static final int UNREACHABLE = 7;
    /** The command matched nothing (e.g. {@code parked retry} with a filter that selects no event). */
    public static final int NOTHING_MATCHED = 8;
    /** {@code replay} re-queued the events but the relay did not publish them all within {@code --timeout}. */
    public static final int TIMED_OUT = 9;
    /** {@code run}: the admin server cannot listen on {@code admin.bind-address:admin.port} (port in use, no such address). */
    public static final int ADMIN_UNAVAILABLE = 10;

    /*
     * The lines of the commands' --help exit-code lists ("code:meaning") for the codes whose meaning
     * is the same in every command; a command adds its own 0, 8 and 9.
     */
    /** {@code --help} line of {@link #FAILURE}. */
    public static final String FAILURE_HELP = FAILURE + ":unexpected failure (message and stack trace on stderr)";
    /** {@code --help} line of {@link #USAGE}. */
    public static final String USAGE_HELP = USAGE + ":wrong command line (unknown option, missing --config, malformed value)";
    /** {@code --help} line of {@link #USAGE} for commands that need a selection of events. */
    public static final String USAGE_SELECTION_HELP = USAGE + ":wrong command line (unknown option, missing --config,"
            + " malformed value, no selection)";
    /** {@code --help} line of {@link #CONFIG}. */
    public static final String CONFIG_HELP = CONFIG + ":the configuration file is missing, malformed or invalid";
    /** {@code --help} line of {@link #SCHEMA_MISSING}. */
    public static final String SCHEMA_MISSING_HELP = SCHEMA_MISSING + ":the outbox tables do not exist or are older:"
            + " run migrate";
    /** {@code --help} line of {@link #SCHEMA_NEWER}. */
    public static final String SCHEMA_NEWER_HELP = SCHEMA_NEWER + ":the outbox tables were migrated by a newer Letterbox";
    /** {@code --help} line of {@link #DATABASE_REFUSED}. */
    public static final String DATABASE_REFUSED_HELP = DATABASE_REFUSED + ":the database refused the connection (user,"
            + " password or database name; no driver for the URL)";
    /** {@code --help} line of {@link #ADMIN_UNAVAILABLE}. */
    public static final String ADMIN_UNAVAILABLE_HELP = ADMIN_UNAVAILABLE + ":the admin server cannot listen on"
            + " admin.bind-address:admin.port (port in use, address not of this machine)";
    /** {@code --help} line of {@link #UNREACHABLE}. */
    public static final String UNREACHABLE_HELP = UNREACHABLE + ":the database is unreachable";

    private ExitCodes() {
    }

    /** The exit code for a command that failed with {@code error}. */
    public static int of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof FatalStartupException f) {
                return f.exitCode();
            }
            if (t instanceof ConfigException) {
                return CONFIG;
            }
            if (t instanceof SchemaMissingException) {
                return SCHEMA_MISSING;
            }
            if (t instanceof SchemaVersionException) {
                return SCHEMA_NEWER;
            }
            if (t instanceof DatabaseRefusedException) {
                return DATABASE_REFUSED;
            }
            if (t instanceof UnreachableException) {
                return UNREACHABLE;
            }
        }
        return FAILURE;
    }
}
