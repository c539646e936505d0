package dev.letterbox.relay.it;

import dev.letterbox.relay.internal.ClaimedRow;
import dev.letterbox.relay.internal.PollingHooks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Freezes a relay instance the way a long GC pause or a suspended VM does: its first batch is held
 * after Kafka acknowledged it and before it is marked, and its lease thread stops renewing from
 * then on. Poller and lease thread are thawed separately, so a test can choose which wakes first.
 * Every wait gives up after a minute, so a failing test cannot hang. Thread-safe.
 */
final class FreezingHooks implements PollingHooks {

    private static final long GIVE_UP_SECONDS = 60;

    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final CountDownLatch frozen = new CountDownLatch(1);
    private final CountDownLatch pollerThawed = new CountDownLatch(1);
    private final CountDownLatch leasesThawed = new CountDownLatch(1);
    private final CompletableFuture<Integer> staleMark = new CompletableFuture<>();
    private volatile boolean freezing;
    private volatile List<ClaimedRow> staleBatch = List.of();
    private volatile Thread stalePoller;

    @Override
    public void beforeMark(List<ClaimedRow> batch) {
        if (!armed.compareAndSet(true, false)) {
            return;
        }
        staleBatch = List.copyOf(batch);
        stalePoller = Thread.currentThread();
        freezing = true;
        frozen.countDown();
        await(pollerThawed);
    }

    @Override
    public void afterMark(int batchSize, int marked) {
        if (Thread.currentThread() == stalePoller) {
            staleMark.complete(marked);
        }
    }

    @Override
    public void beforeLeaseCycle() {
        if (freezing) {
            await(leasesThawed);
        }
    }

    /** Waits until the instance froze; returns the batch it holds (acknowledged by Kafka, not marked). */
    List<ClaimedRow> awaitFrozen(Duration timeout) throws InterruptedException {
        if (!frozen.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the relay sent no batch within " + timeout);
        }
        return staleBatch;
    }

    void thawLeaseThread() {
        leasesThawed.countDown();
    }

    void thawPoller() {
        pollerThawed.countDown();
    }

    /** Wakes both threads; safe to call at any time and more than once. */
    void thaw() {
        thawLeaseThread();
        thawPoller();
    }

    /** Waits for the mark of the frozen batch after the thaw; returns how many rows it updated. */
    int awaitStaleMark(Duration timeout) throws Exception {
        try {
            return staleMark.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the thawed poller did not mark its batch within " + timeout, e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
