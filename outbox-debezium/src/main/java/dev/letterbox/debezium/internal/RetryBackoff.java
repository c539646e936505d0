package dev.letterbox.debezium.internal;

import dev.letterbox.relay.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The {@code relay.retry.*} backoff of the CDC strategy's retries (publishing, writing marks): the
 * delay before an attempt, and a pause that leaves early when asked to stop. Stateless and thread-safe.
 */
final class RetryBackoff {

    private static final long SLICE_MS = 200;

    private RetryBackoff() {
    }

    /** The delay before retry number {@code attempt} (1 for the first retry): exponential, capped, with jitter. */
    static Duration delay(RetryConfig retry, int attempt) {
        double base = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), Math.max(0, attempt - 1));
        double capped = Math.min(base, retry.maxBackoff().toMillis());
        double jitter = capped * retry.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(1, (long) (capped + jitter)));
    }

    /**
     * Sleeps for {@code pause}, looking at {@code stop} every 200 ms.
     *
     * @throws InterruptedException when {@code stop} turns true first (with {@code why} as its message), or on interrupt
     */
    static void pause(Duration pause, BooleanSupplier stop, String why) throws InterruptedException {
        long end = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < end) {
            if (stop.getAsBoolean()) {
                throw new InterruptedException(why);
            }
            Thread.sleep(Math.max(1, Math.min(SLICE_MS, (end - System.nanoTime()) / 1_000_000)));
        }
    }
}
