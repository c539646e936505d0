package dev.letterbox.relay.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Acquires, renews and releases named leases in the outbox lease table, for jobs that must run on
 * exactly one relay instance at a time (cleanup, the CDC stream).
 *
 * <p>Every acquisition increments the lease's epoch, so a holder that paused past its TTL and lost
 * the lease is fenced: {@link #renew} answers empty for its stale {@link Lease}. All times are
 * judged by the database clock. Implementations are thread-safe.
 *
 * <pre>{@code
 * Optional<Lease> lease = context.leases().tryAcquire("cdc");
 * // ... every ttl/3:
 * lease = context.leases().renew(lease.get());   // empty: lost it, stop at once
 * // ... at the end:
 * context.leases().release(lease.get());
 * }</pre>
 */
public interface LeaseManager {

    /** How long an acquired or renewed lease lasts without a renewal (relay.polling.lease-ttl). */
    Duration ttl();

    /**
     * Takes the lease when it is free, expired or already ours, creating its row on demand.
     *
     * @param name the lease name, at most 64 characters; never null
     * @return the lease with its new epoch, or empty when another instance holds it
     * @throws dev.letterbox.relay.RelayException when the database cannot be reached
     */
    Optional<Lease> tryAcquire(String name);

    /**
     * Extends a lease we hold by {@link #ttl()} from now (database time).
     *
     * @return the same lease, or empty when it expired and was taken over, or was released
     * @throws dev.letterbox.relay.RelayException when the database cannot be reached
     */
    Optional<Lease> renew(Lease lease);

    /** Gives a lease up at once so another instance may take it; does nothing if no longer held. */
    void release(Lease lease);
}
