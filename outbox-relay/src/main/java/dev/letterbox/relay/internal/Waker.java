package dev.letterbox.relay.internal;

import java.time.Duration;

/** Lets a thread pause until a timeout, a wake-up (e.g. a NOTIFY) or a stop; thread-safe. */
final class Waker {

    private boolean signalled;
    private boolean stopped;

    /** Pauses up to {@code duration}; returns early on {@link #wake()} or {@link #stop()}. */
    synchronized void await(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
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
            signalled = false;
        }
    }

    synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    synchronized boolean stopped() {
        return stopped;
    }
}
