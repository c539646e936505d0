package dev.letterbox.relay.service.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a start-up check (database reachable, Kafka reachable) until it passes, pausing 1s, 2s,
 * 4s ... up to 30s between attempts and logging one line per attempt: about two lines a minute
 * however long the outage, and no crash loop.
 *
 * <p>Not thread-safe: one instance per wait, used by the thread that waits.
 */
public final class StartupWait {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWait.class);
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    private final String what;
    private final BooleanSupplier stopping;

    /**
     * Creates a wait.
     *
     * @param what     what is awaited, e.g. {@code database}
     * @param stopping true once the service is stopping; the wait then gives up
     */
    public StartupWait(String what, BooleanSupplier stopping) {
        this.what = what;
        this.stopping = stopping;
    }

    /**
     * Runs {@code check} until it returns without an {@link UnreachableException}.
     *
     * @return true when the check passed, false when the service stopped first
     */
    public boolean await(Runnable check) {
        Duration pause = FIRST;
        for (int attempt = 1; !stopping.getAsBoolean(); attempt++) {
            try {
                check.run();
                if (attempt > 1) {
                    LOG.atInfo().addKeyValue("dependency", what).addKeyValue("attempts", attempt)
                            .log("dependency reachable");
                }
                return true;
            } catch (UnreachableException e) {
                LOG.atWarn().addKeyValue("dependency", what).addKeyValue("attempt", attempt)
                        .addKeyValue("next_attempt_in", pause.toString()).addKeyValue("error", e.getMessage())
                        .log("dependency unreachable: the relay waits (not ready) and tries again");
            }
            if (!sleep(pause)) {
                return false;
            }
            pause = pause.multipliedBy(2).compareTo(MAX) > 0 ? MAX : pause.multipliedBy(2);
        }
        return false;
    }

    private boolean sleep(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < end) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
