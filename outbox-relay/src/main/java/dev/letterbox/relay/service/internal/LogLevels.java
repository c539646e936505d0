package dev.letterbox.relay.service.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Reads and changes logger levels at run time, optionally reverting a change after a duration;
 * backs the {@code /admin/log-level} endpoint.
 *
 * <p>Thread-safe. Owns one daemon thread ({@code outbox-relay-log-level-revert}), stopped by {@link #close()}.
 */
public final class LogLevels implements AutoCloseable {

    /** The level names a logger can be set to, most verbose first (besides inheriting its parent's). */
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** A logger's configured level (null when it inherits) and the level in effect. */
    public record View(String logger, String level, String effectiveLevel, String revertsAt) {
    }

    private final ScheduledExecutorService reverter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay-log-level-revert");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<String, String> revertTimes = new ConcurrentHashMap<>();

    /** The level of {@code name} ({@code ROOT} for the root logger). */
    public View get(String name) {
        Logger logger = logger(name);
        return new View(logger.getName(), logger.getLevel() == null ? null : logger.getLevel().toString(),
                logger.getEffectiveLevel().toString(), revertTimes.get(logger.getName()));
    }

    /**
     * Sets the level of {@code name}; with {@code revertAfter}, restores the previous level then.
     *
     * @param level       TRACE, DEBUG, INFO, WARN, ERROR, OFF, or null/"inherit" to inherit the parent's
     * @param revertAfter null or zero for a lasting change
     * @throws IllegalArgumentException naming the value when the level is unknown
     */
    public synchronized View set(String name, String level, Duration revertAfter) {
        Level newLevel = parse(level);
        Logger logger = logger(name);
        Level previous = logger.getLevel();
        ScheduledFuture<?> earlier = pending.remove(logger.getName());
        if (earlier != null) {
            earlier.cancel(false);
            revertTimes.remove(logger.getName());
        }
        logger.setLevel(newLevel);
        if (revertAfter != null && !revertAfter.isZero()) {
            String key = logger.getName();
            revertTimes.put(key, java.time.Instant.now().plus(revertAfter).toString());
            pending.put(key, reverter.schedule(() -> revert(key, previous), revertAfter.toMillis(), TimeUnit.MILLISECONDS));
        }
        return get(name);
    }

    private synchronized void revert(String name, Level previous) {
        logger(name).setLevel(previous);
        pending.remove(name);
        revertTimes.remove(name);
        LoggerFactory.getLogger(LogLevels.class).atInfo().addKeyValue("logger", name)
                .addKeyValue("level", previous == null ? "inherit" : previous.toString())
                .log("log level reverted");
    }

    private static Level parse(String level) {
        if (level == null || level.equalsIgnoreCase("inherit") || level.equalsIgnoreCase("null")) {
            return null;
        }
        String upper = level.trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new IllegalArgumentException("level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF or inherit,"
                    + " was '" + level + "'");
        }
        return Level.toLevel(upper);
    }

    private static Logger logger(String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("log levels can only be changed when Logback is the logging backend");
        }
        String n = name == null || name.isBlank() ? org.slf4j.Logger.ROOT_LOGGER_NAME : name.trim();
        return context.getLogger(n);
    }

    @Override
    public void close() {
        reverter.shutdownNow();
    }
}
