package dev.letterbox.relay.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs an outage (database or broker unreachable) once when it starts, with its root cause, then
 * at most once per window while it lasts, and once when it ends with a summary (failed attempts,
 * how long it lasted): no log flood. Regression (issue 11, item 14): the cause (such as "Connection
 * refused") hid behind HikariCP's "Connection is not available, request timed out" and its stack
 * traces. Thread-safe.
 */
final class OutageLog {

    private static final long WINDOW_NANOS = Duration.ofSeconds(30).toNanos();

    private final Logger log;
    private final String what;
    private long failures;
    private long lastLogged;
    private long since;
    private boolean down;

    OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Records one failed attempt; returns the number of consecutive failures. */
    synchronized long failed(Exception e, Duration nextTry) {
        failures++;
        long now = System.nanoTime();
        if (!down) {
            since = now;
            log.atWarn().addKeyValue("component", what).addKeyValue("attempts", failures)
                    .addKeyValue("next_try_ms", nextTry.toMillis()).addKeyValue("error", e.getMessage())
                    .addKeyValue("cause", rootCause(e)).log("dependency unreachable");
            lastLogged = now;
        } else if (now - lastLogged >= WINDOW_NANOS) {
            log.atWarn().addKeyValue("component", what).addKeyValue("attempts", failures)
                    .addKeyValue("next_try_ms", nextTry.toMillis()).addKeyValue("error", e.getMessage())
                    .log("dependency still unreachable");
            lastLogged = now;
        }
        down = true;
        return failures;
    }

    /** Records a success; logs the recovery, with how long the outage lasted, when there was one. */
    synchronized void succeeded() {
        if (down) {
            log.atInfo().addKeyValue("component", what).addKeyValue("failed_attempts", failures)
                    .addKeyValue("outage_ms", (System.nanoTime() - since) / 1_000_000).log("dependency reachable again");
        }
        down = false;
        failures = 0;
    }

    /** The innermost cause's class and message: what the driver or the network said. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    synchronized long failures() {
        return failures;
    }
}
