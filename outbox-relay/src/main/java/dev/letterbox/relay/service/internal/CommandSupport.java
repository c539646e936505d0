package dev.letterbox.relay.service.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.relay.service.ServiceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What every command that reads the configuration file shares: the {@code --config} option, and
 * for one-shot commands, logging to standard error and a small connection pool.
 *
 * <p>Not thread-safe; one per command invocation.
 */
public class CommandSupport {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file (see docs/configuration.md).")
    Path config;

    /** Loads the configuration file; throws {@link dev.letterbox.relay.service.ConfigException} when it is invalid. */
    public ServiceConfig load() {
        return ServiceConfig.load(config);
    }

    /**
     * Refuses a {@code relay.strategy} this jar does not hold, before anything waits for the database
     * or Kafka: no amount of waiting brings the strategy. Regression (issue 11, item 17): {@code config
     * check} called a cdc file valid while {@code outbox-relay.jar run} refused it.
     *
     * @throws FatalStartupException with {@link ExitCodes#CONFIG} naming the jar that has the strategy
     */
    public static void requireStrategyInJar(ServiceConfig c) {
        String strategy = c.relay().strategy();
        if (!dev.letterbox.relay.Relay.strategies().contains(strategy)) {
            throw new FatalStartupException(ExitCodes.CONFIG, "relay.strategy " + strategy + " is not in this jar (it"
                    + " has " + dev.letterbox.relay.Relay.strategies() + ")" + ("cdc".equals(strategy)
                    ? ": run outbox-relay-cdc.jar (outbox-debezium/target), the same service with the cdc strategy inside"
                    : ": use one of those"), null);
        }
    }

    /** Loads the configuration and sets up logging for a one-shot command: warnings and errors on standard error. */
    public ServiceConfig loadForTool() {
        ServiceConfig c = load();
        LoggingSetup.configure("text", "warn", c.logging().loggers(), false, c.relay().instanceId());
        return c;
    }

    /**
     * Probes the database, then opens a two-connection pool; the caller closes it.
     *
     * @throws DatabaseRefusedException when the credentials or the database name are wrong
     * @throws UnreachableException     when the database does not answer
     */
    public static HikariDataSource open(ServiceConfig c) {
        Databases.probe(c.database());
        return Databases.pool(c.database(), "outbox-relay-cli", 2);
    }
}
