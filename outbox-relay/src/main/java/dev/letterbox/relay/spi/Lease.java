package dev.letterbox.relay.spi;

import java.util.Objects;

/**
 * A lease held by one relay instance: a row of the lease table whose {@code epoch} (fencing token)
 * was incremented when this instance acquired it. Expiry is judged by the database clock.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name  the lease name, e.g. {@code shard-7}, {@code cleanup} or {@code cdc}; never null
 * @param owner the instance id that holds it; never null
 * @param epoch the fencing token of this acquisition
 */
public record Lease(String name, String owner, long epoch) {

    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
    }

    /** The fencing token as {@code name@epoch}, unique per acquisition. */
    public String token() {
        return name + '@' + epoch;
    }
}
