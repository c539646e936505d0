package dev.letterbox.relay.internal;

import java.time.Duration;

/** Lets a thread pause until a timeout, a wake-up (e.g. a NOTIFY) or a stop; thread-safe. */
final class Waker {

    private boolean signalled;
    private boolean stopped;
    private boolean waiting;

    /** Pauses up to {@code duration}; returns early on {@link #wake()} or {@link #stop()}. */
    synchronized void await(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        waiting = true;
        try {
            while (!signalled && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting = false;
            signalled = false;
        }
    }

    synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    /**
     * Wakes the thread only if it is pausing now; a thread that is busy (claiming, sending) is left
     * alone instead of skipping its next pause, so frequent wake-ups do not turn into extra claims.
     */
    synchronized void wakeIfWaiting() {
        if (waiting) {
            wake();
        }
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    synchronized boolean stopped() {
        return stopped;
    }
}
