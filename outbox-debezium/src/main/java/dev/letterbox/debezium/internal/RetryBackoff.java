package dev.letterbox.debezium.internal;

import dev.letterbox.relay.RetryConfig;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The pause of the CDC strategy's retries (publishing, writing marks) between attempts, whose
 * length is {@link RetryConfig#backoff}: a sleep that leaves early when asked to stop. Stateless and
 * thread-safe.
 */
final class RetryBackoff {

    private static final long SLICE_MS = 200;

    private RetryBackoff() {
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
