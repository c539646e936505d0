package dev.letterbox.relay.internal;

import dev.letterbox.relay.RetryConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the pollers when PostgreSQL delivers {@code NOTIFY <prefix>event}
 * ({@code relay.polling.listen-notify}): a daemon thread {@code outbox-relay-listener} keeps one
 * connection of the relay's data source in {@code LISTEN} and wakes every poller once per batch of
 * notifications, so many commits coalesce into one wake-up. The relay never sends {@code NOTIFY}
 * itself: writers do (a statement trigger, or the application's transaction). After a database
 * error it reconnects after a backoff and wakes the pollers, as notifications may have been missed.
 * Thread-safe.
 */
final class NotifyListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyListener.class);
    private static final int WAIT_MILLIS = 250;

    private final Db db;
    private final String channel;
    private final List<Waker> wakers;
    private final RetryConfig retry;
    private final OutageLog outage = new OutageLog(LOG, "database (listener)");
    private final Waker pause = new Waker();
    private final Thread thread;

    NotifyListener(Db db, String channel, List<Waker> wakers, RetryConfig retry) {
        this.db = db;
        this.channel = channel;
        this.wakers = List.copyOf(wakers);
        this.retry = retry;
        this.thread = new Thread(CallerMdc.wrap(this::loop), "outbox-relay-listener");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (!pause.stopped()) {
            try {
                if (db.dialect() != SqlDialect.POSTGRES) {
                    LOG.warn("relay.polling.listen-notify is PostgreSQL only and is ignored here: the pollers poll;"
                            + " set it to false");
                    return;
                }
                listen();
            } catch (SQLException | RuntimeException e) {
                Duration next = retry.backoff((int) Math.min(30, outage.failures() + 1));
                outage.failed(e, next);
                pause.await(next);
            }
        }
    }

    private void listen() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            Class<?> pgConnection;
            Method getNotifications;
            try {
                pgConnection = Class.forName("org.postgresql.PGConnection");
                getNotifications = pgConnection.getMethod("getNotifications", int.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("relay.polling.listen-notify needs the PostgreSQL JDBC driver"
                        + " (org.postgresql.PGConnection) on the classpath: add it or set listen-notify to false", e);
            }
            Object pg = c.unwrap(pgConnection);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + SqlDialect.POSTGRES.quote(channel));
            }
            outage.succeeded();
            wakeAll(); // commits made while no one listened
            while (!pause.stopped()) {
                Object[] notifications = invoke(getNotifications, pg);
                if (notifications != null && notifications.length > 0) {
                    wakeAll();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("UNLISTEN *");
            }
        }
    }

    private static Object[] invoke(Method getNotifications, Object pg) throws SQLException {
        try {
            return (Object[]) getNotifications.invoke(pg, WAIT_MILLIS);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("reading notifications failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("reading notifications failed: " + e, e);
        }
    }

    private void wakeAll() {
        for (Waker w : wakers) {
            w.wake();
        }
    }

    /** Stops listening; returns within about a quarter of a second. Idempotent. */
    @Override
    public void close() {
        pause.stop();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
