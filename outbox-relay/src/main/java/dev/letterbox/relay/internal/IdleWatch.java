package dev.letterbox.relay.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log mode's idle watch, one per instance: while the outbox is idle only one poller (the sentinel,
 * the lowest-numbered poller holding shards) keeps reading at the idle backoff; the others doze,
 * reading once per {@link #doze(boolean) doze} (ten idle backoffs, at least a second), and are
 * woken as soon as any read sees the sequence move (a writer drew a {@code seq}, whichever shard it
 * lands on: each read returns the sequence's last value). With {@code relay.polling.listen-notify}
 * a {@code NOTIFY} wakes every poller, so the sentinel dozes too, reading once per ten idle
 * backoffs (at least a second: what a writer that does not notify waits at most), and the others
 * ten times longer. An idle instance then reads about {@code 1 / idle-backoff-max} times a second
 * (with NOTIFY: about once a second) instead of {@code workers} times that. Thread-safe.
 */
final class IdleWatch {

    private static final Duration MIN_DOZE = Duration.ofSeconds(1);

    private final List<Waker> wakers;
    private final boolean[] dozing;
    private final boolean notified;
    private final AtomicLong seen = new AtomicLong(Long.MIN_VALUE);
    private final Duration doze;

    /**
     * @param wakers   the pollers' wakers, by poller index
     * @param notified whether a {@code NOTIFY} wakes the pollers (then every poller may doze)
     * @param idleBackoffMax {@code relay.polling.idle-backoff-max}
     */
    IdleWatch(List<Waker> wakers, boolean notified, Duration idleBackoffMax) {
        Duration tenBackoffs = idleBackoffMax.multipliedBy(10);
        this.doze = tenBackoffs.compareTo(MIN_DOZE) > 0 ? tenBackoffs : MIN_DOZE;
        this.wakers = List.copyOf(wakers);
        this.dozing = new boolean[wakers.size()];
        this.notified = notified;
    }

    /**
     * How long a dozing poller waits at most before it reads anyway: ten idle backoffs (at least a
     * second) for the sentinel, which dozes only when NOTIFY wakes the pollers, and for every other
     * poller without NOTIFY; with NOTIFY the others wait ten times that, since the sentinel's reads
     * wake them too.
     */
    Duration doze(boolean sentinel) {
        return notified && !sentinel ? doze.multipliedBy(10) : doze;
    }

    /** Whether a {@code NOTIFY} wakes the pollers, so that every poller may doze. */
    boolean notified() {
        return notified;
    }

    /** A read saw the sequence's last value {@code l}: when it moved, the dozing pollers are woken. */
    void saw(long l) {
        long before = seen.getAndAccumulate(l, Math::max);
        if (before != Long.MIN_VALUE && l > before) {
            synchronized (dozing) {
                for (int i = 0; i < dozing.length; i++) {
                    if (dozing[i]) {
                        wakers.get(i).wake();
                    }
                }
            }
        }
    }

    /** Marks poller {@code index} as awake. */
    void awake(int index) {
        synchronized (dozing) {
            dozing[index] = false;
        }
    }

    /**
     * Marks poller {@code index} as dozing, unless a read saw the sequence move past
     * {@code lastSeen} (the value of that poller's last read) meanwhile: then it must read again
     * at once, and false is returned. Without this check a move seen between the poller's read and
     * this call woke nobody, and the poller slept a whole doze.
     */
    boolean tryDoze(int index, long lastSeen) {
        synchronized (dozing) {
            if (seen.get() > lastSeen) {
                return false;
            }
            dozing[index] = true;
            return true;
        }
    }
}
