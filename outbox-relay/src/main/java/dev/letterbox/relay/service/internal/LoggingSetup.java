package dev.letterbox.relay.service.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Map;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Configures the service's Logback from its own resources ({@code logback-json.xml} or
 * {@code logback-text.xml} next to this package), never from a {@code logback.xml} on the class
 * path, which would configure every application embedding the relay library. A user's
 * {@code -Dlogback.configurationFile} wins over both.
 *
 * <p>Call from the main thread before the service logs; not thread-safe.
 */
public final class LoggingSetup {

    private static final String BASE = "/dev/letterbox/relay/service/";

    private LoggingSetup() {
    }

    /** True when the user configured Logback with {@code -Dlogback.configurationFile}. */
    public static boolean userConfigured() {
        return System.getProperty("logback.configurationFile") != null;
    }

    /**
     * (Re)configures logging.
     *
     * @param format     {@code json} or {@code text}
     * @param level      root level, e.g. {@code info}
     * @param loggers    levels by logger name
     * @param toStdout   true to log to standard output ({@code run}), false for standard error
     * @param instanceId the relay instance id written into every JSON line; may be empty
     */
    public static void configure(String format, String level, Map<String, String> loggers, boolean toStdout,
                                 String instanceId) {
        if (userConfigured() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        URL config = Objects.requireNonNull(LoggingSetup.class.getResource(BASE + "logback-" + format + ".xml"),
                "no logging configuration for format " + format);
        context.reset();
        context.putProperty("LETTERBOX_LOG_TARGET", toStdout ? "System.out" : "System.err");
        context.putProperty("LETTERBOX_INSTANCE_ID", instanceId == null ? "" : instanceId);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("the built-in logging configuration " + config + " failed: " + e, e);
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        loggers.forEach((name, value) -> context.getLogger(name).setLevel(Level.toLevel(value, null)));
    }
}
