package dev.letterbox.debezium.internal;

import dev.letterbox.relay.spi.Lease;
import io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's JDBC offset store, fenced with the {@code cdc} lease: an offset is written only while
 * the lease row still names the engine's owner and epoch, checked and share-locked in a transaction
 * that lasts until the write is done, so a takeover (which updates that row) comes before or after
 * the write, never during it. A refused write fails the engine's offset commit, and the engine then
 * does not acknowledge the position to the PostgreSQL slot either (it does so only after a
 * successful commit).
 *
 * <p>Regression (issue 10, item 2): an instance frozen longer than the lease resumed, noticed the
 * loss and stopped its engine, whose last offset commit (which does not ask the commit policy)
 * stored offsets, and moved the slot, past rows it had published but could no longer mark; the new
 * active instance never read them again and they stayed PENDING.
 *
 * <p>Debezium creates it by class name ({@code offset.storage}); {@link #fence} adds the lease to
 * the engine's properties. Thread-safe as Debezium uses it (one engine).
 */
public final class FencedOffsetStore extends JdbcOffsetBackingStore {

    static final String PREFIX = "offset.storage.letterbox.fence.";
    static final String LEASE_TABLE = PREFIX + "lease-table";
    static final String LEASE_NAME = PREFIX + "lease-name";
    static final String LEASE_OWNER = PREFIX + "lease-owner";
    static final String LEASE_EPOCH = PREFIX + "lease-epoch";
    static final String SHARE_LOCK = PREFIX + "share-lock";
    private static final long WRITE_WAIT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(FencedOffsetStore.class);

    private String url;
    private String user;
    private String password;
    private String check;
    private Lease lease;

    /** Debezium instantiates it by reflection. */
    public FencedOffsetStore() {
    }

    /** The engine properties of one engine run under {@code lease}: the defaults plus the fence. */
    static Properties fence(Properties engineProperties, DatabaseTarget target, Lease lease) {
        Properties p = new Properties();
        p.putAll(engineProperties);
        p.setProperty(LEASE_TABLE, target.quotedLeaseTable());
        p.setProperty(LEASE_NAME, lease.name());
        p.setProperty(LEASE_OWNER, lease.owner());
        p.setProperty(LEASE_EPOCH, Long.toString(lease.epoch()));
        p.setProperty(SHARE_LOCK, target.kind() == DatabaseTarget.Kind.POSTGRES ? "FOR SHARE" : "LOCK IN SHARE MODE");
        return p;
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> p = config.originalsStrings();
        url = p.get("offset.storage.jdbc.connection.url");
        user = p.get("offset.storage.jdbc.connection.user");
        password = p.get("offset.storage.jdbc.connection.password");
        if (p.get(LEASE_EPOCH) == null) {
            throw new ConnectException(FencedOffsetStore.class.getName() + " needs the cdc lease ("
                    + LEASE_EPOCH + "); it is set by the cdc strategy, not by hand");
        }
        lease = new Lease(p.get(LEASE_NAME), p.get(LEASE_OWNER), Long.parseLong(p.get(LEASE_EPOCH)));
        check = "SELECT 1 FROM " + p.get(LEASE_TABLE) + " WHERE name = ? AND owner = ? AND epoch = ? " + p.get(SHARE_LOCK);
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try {
                if (!leaseHeld(c)) {
                    c.rollback();
                    LOG.atWarn().addKeyValue("epoch", lease.epoch()).addKeyValue("owner", lease.owner())
                            .log("cdc lease no longer ours: offsets not stored, the new owner resumes from the last ones");
                    return fail(callback, new ConnectException("offsets not stored: the cdc lease (epoch "
                            + lease.epoch() + ", owner " + lease.owner() + ") is no longer held"));
                }
                Future<Void> written = super.set(values, callback);
                written.get(WRITE_WAIT_SECONDS, TimeUnit.SECONDS); // the share lock holds off a takeover meanwhile
                c.commit();
                return written;
            } catch (ExecutionException | TimeoutException e) {
                c.rollback();
                return CompletableFuture.failedFuture(e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.rollback();
                return CompletableFuture.failedFuture(e);
            }
        } catch (SQLException e) {
            return fail(callback, new ConnectException("offsets not stored: the cdc lease could not be checked: "
                    + e.getMessage(), e));
        }
    }

    private boolean leaseHeld(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(check)) {
            ps.setString(1, lease.name());
            ps.setString(2, lease.owner());
            ps.setLong(3, lease.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Future<Void> fail(Callback<Void> callback, ConnectException e) {
        if (callback != null) {
            callback.onCompletion(e, null);
        }
        return CompletableFuture.failedFuture(e);
    }
}
