package dev.letterbox.relay.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs an outage (database or broker unreachable) once when it starts, then at most once per
 * window while it lasts, and once when it ends: no log flood. Thread-safe.
 */
final class OutageLog {

    private static final long WINDOW_NANOS = Duration.ofSeconds(30).toNanos();

    private final Logger log;
    private final String what;
    private long failures;
    private long lastLogged;
    private boolean down;

    OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Records one failed attempt; returns the number of consecutive failures. */
    synchronized long failed(Exception e, Duration nextTry) {
        failures++;
        long now = System.nanoTime();
        if (!down || now - lastLogged >= WINDOW_NANOS) {
            log.atWarn().addKeyValue("attempts", failures).addKeyValue("next_try_ms", nextTry.toMillis())
                    .addKeyValue("error", e.getMessage()).log(what + " unreachable");
            lastLogged = now;
        }
        down = true;
        return failures;
    }

    /** Records a success; logs the recovery when there was an outage. */
    synchronized void succeeded() {
        if (down) {
            log.atInfo().addKeyValue("failed_attempts", failures).log(what + " reachable again");
        }
        down = false;
        failures = 0;
    }

    synchronized long failures() {
        return failures;
    }
}
