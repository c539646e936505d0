package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayException;
import dev.letterbox.relay.spi.Lease;
import dev.letterbox.relay.spi.LeaseManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link LeaseManager} on the outbox lease table, for single-active jobs (cleanup, cdc). Thread-safe. */
final class JdbcLeaseManager implements LeaseManager {

    private final Db db;
    private final LeaseStore store;

    JdbcLeaseManager(Db db, LeaseStore store) {
        this.db = db;
        this.store = store;
    }

    @Override
    public Duration ttl() {
        return store.ttl();
    }

    @Override
    public Optional<Lease> tryAcquire(String name) {
        check(name);
        try {
            return db.inTransaction(c -> {
                store.ensureRows(c, List.of(name));
                if (store.acquire(c, List.of(name), true) == 0) {
                    return Optional.empty();
                }
                for (LeaseStore.Row row : store.readAll(c)) {
                    if (row.name().equals(name) && store.instanceId().equals(row.owner()) && row.live()) {
                        return Optional.of(new Lease(name, row.owner(), row.epoch()));
                    }
                }
                return Optional.empty();
            });
        } catch (SQLException e) {
            throw new RelayException("acquiring lease '" + name + "' failed: the database could not be reached ("
                    + e.getMessage() + "); try again later", e);
        }
    }

    @Override
    public Optional<Lease> renew(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        try {
            int n = db.run(c -> store.renew(c, List.of(lease)));
            return n == 1 ? Optional.of(lease) : Optional.empty();
        } catch (SQLException e) {
            throw new RelayException("renewing lease '" + lease.name() + "' failed: the database could not be reached ("
                    + e.getMessage() + "); stop the leased work if this lasts longer than the TTL", e);
        }
    }

    @Override
    public void release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        try {
            db.run(c -> store.release(c, List.of(lease)));
        } catch (SQLException e) {
            throw new RelayException("releasing lease '" + lease.name() + "' failed (" + e.getMessage()
                    + "); it expires by itself after " + store.ttl().toMillis() + " ms", e);
        }
    }

    private static void check(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            throw new IllegalArgumentException("lease name must be 1..64 characters, was " + (name == null ? "null" : "'" + name + "'"));
        }
        if (name.startsWith("shard-") || name.startsWith("member-")) {
            throw new IllegalArgumentException("lease names starting with 'shard-' or 'member-' belong to the polling relay,"
                    + " was '" + name + "': choose another name");
        }
    }
}
