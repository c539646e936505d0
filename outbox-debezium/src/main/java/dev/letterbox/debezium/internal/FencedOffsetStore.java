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
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's JDBC offset store, fenced with the {@code cdc} lease: an offset is written only if the
 * lease row still names the engine's owner and epoch. A refused write fails the engine's offset
 * commit, and the engine then does not acknowledge the position to the PostgreSQL slot either (it
 * does so only after a successful commit).
 *
 * <p>The check is not locked with the write: a takeover between the two lets one write through,
 * which is harmless, because an instance that still believed it held the lease commits offsets
 * only through the commit policy, after the marks of every row before them were written (its last
 * commit at a stop comes after it noticed the loss, and is refused). Holding a share lock on the
 * lease row across the write was tried and dropped: a process frozen in that window blocked the
 * takeover for as long as it stayed frozen.
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
    private static final Logger LOG = LoggerFactory.getLogger(FencedOffsetStore.class);

    private String url;
    private String user;
    private String password;
    private String check;
    private Lease lease;
    private Connection connection; // guarded by this

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
        check = "SELECT 1 FROM " + p.get(LEASE_TABLE) + " WHERE name = ? AND owner = ? AND epoch = ?";
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        boolean held;
        try {
            held = leaseHeld();
        } catch (SQLException e) {
            closeConnection();
            return fail(callback, new ConnectException("offsets not stored: the cdc lease could not be checked: "
                    + e.getMessage(), e));
        }
        if (!held) {
            LOG.atWarn().addKeyValue("epoch", lease.epoch()).addKeyValue("owner", lease.owner())
                    .log("cdc lease no longer ours: offsets not stored, the new owner resumes from the last ones");
            return fail(callback, new ConnectException("offsets not stored: the cdc lease (epoch " + lease.epoch()
                    + ", owner " + lease.owner() + ") is no longer held"));
        }
        return super.set(values, callback);
    }

    /** One connection for the checks, opened on first use and again after a failure. */
    private synchronized boolean leaseHeld() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, user, password);
        }
        try (PreparedStatement ps = connection.prepareStatement(check)) {
            ps.setString(1, lease.name());
            ps.setString(2, lease.owner());
            ps.setLong(3, lease.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it is being replaced anyway
            }
            connection = null;
        }
    }

    @Override
    public synchronized void stop() {
        closeConnection();
        super.stop();
    }

    private static Future<Void> fail(Callback<Void> callback, ConnectException e) {
        if (callback != null) {
            callback.onCompletion(e, null);
        }
        return CompletableFuture.failedFuture(e);
    }
}
