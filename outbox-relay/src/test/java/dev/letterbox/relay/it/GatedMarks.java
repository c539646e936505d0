package dev.letterbox.relay.it;

import dev.letterbox.relay.internal.ClaimedRow;
import dev.letterbox.relay.internal.PollingHooks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds every batch of an instance after Kafka acknowledged it and before it is marked, until the
 * test opens the gate, so its rows stay PENDING meanwhile. Waits give up after a minute.
 * Thread-safe.
 */
final class GatedMarks implements PollingHooks {

    private final CountDownLatch waiting = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    @Override
    public void beforeMark(List<ClaimedRow> batch) {
        waiting.countDown();
        try {
            open.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a batch was sent and waits at the gate. */
    void awaitWaiting(Duration timeout) throws InterruptedException {
        if (!waiting.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no batch reached the gate within " + timeout);
        }
    }

    void open() {
        open.countDown();
    }
}
