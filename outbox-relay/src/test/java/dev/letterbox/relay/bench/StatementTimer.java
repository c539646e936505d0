package dev.letterbox.relay.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Wraps the relay's {@link DataSource} and producer to time its statements by kind (claim, mark,
 * other), the wait for a pooled connection and the producer's {@code flush()} (the wait for a batch's
 * acks), without touching the relay's code; the figures split a batch into claim, send and mark.
 * Thread-safe.
 */
final class StatementTimer {

    enum Kind { CLAIM, MARK, OTHER, CONNECT, FLUSH, CLEANUP, GAUGE }

    private final LongAdder[] nanos = new LongAdder[Kind.values().length];
    private final LongAdder[] counts = new LongAdder[Kind.values().length];
    private volatile String claimSql;

    StatementTimer() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new LongAdder();
            counts[i] = new LongAdder();
        }
    }

    /** A data source that times everything run through it; closing it is left to the caller's original. */
    DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        long t = System.nanoTime();
                        Connection c = (Connection) invoke(method, target, args);
                        record(Kind.CONNECT, System.nanoTime() - t);
                        return connection(c);
                    }
                    return invoke(method, target, args);
                });
    }

    /** A producer whose {@code flush()} calls are timed; everything else is passed through. */
    @SuppressWarnings("unchecked")
    org.apache.kafka.clients.producer.Producer<byte[], byte[]> wrap(
            org.apache.kafka.clients.producer.Producer<byte[], byte[]> target) {
        return (org.apache.kafka.clients.producer.Producer<byte[], byte[]>) Proxy.newProxyInstance(
                org.apache.kafka.clients.producer.Producer.class.getClassLoader(),
                new Class<?>[] {org.apache.kafka.clients.producer.Producer.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("flush")) {
                        return invoke(method, target, args);
                    }
                    long t = System.nanoTime();
                    try {
                        return invoke(method, target, args);
                    } finally {
                        record(Kind.FLUSH, System.nanoTime() - t);
                    }
                });
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, target, args);
                    if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                        return statement((PreparedStatement) result, kind(sql));
                    }
                    return result;
                });
    }

    private PreparedStatement statement(PreparedStatement target, Kind kind) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute") && (args == null || args.length == 0)) {
                long t = System.nanoTime();
                try {
                    return invoke(method, target, args);
                } finally {
                    record(kind, System.nanoTime() - t);
                }
            }
            return invoke(method, target, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, h);
    }

    /**
     * A claim reads the events to publish, payload included (mark mode's claim, log mode's read); a
     * mark records what was published (mark mode's status update, log mode's position store).
     */
    private Kind kind(String sql) {
        if (sql.contains("e.payload")) {
            claimSql = sql;
            return Kind.CLAIM;
        }
        if (sql.contains("SET status = 'PUBLISHED'") || sql.contains("SET position =")) {
            return Kind.MARK;
        }
        if (sql.startsWith("DELETE FROM")) {
            return Kind.CLEANUP;
        }
        if (sql.contains("WHERE status = 'PENDING'")) {
            return Kind.GAUGE;
        }
        return Kind.OTHER;
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void record(Kind kind, long ns) {
        nanos[kind.ordinal()].add(ns);
        counts[kind.ordinal()].increment();
    }

    /** The text of the relay's claim statement, as last prepared; null before the first claim. */
    String claimSql() {
        return claimSql;
    }

    long count(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    double totalMillis(Kind kind) {
        return nanos[kind.ordinal()].sum() / 1e6;
    }

    double meanMillis(Kind kind) {
        long n = count(kind);
        return n == 0 ? Double.NaN : totalMillis(kind) / n;
    }

    void reset() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i].reset();
            counts[i].reset();
        }
    }

    /** One line: count and mean time of claims, marks, other statements and connection waits. */
    String summary() {
        return String.format(Locale.ROOT, "claims %d (mean %.2f ms), flushes (send + acks) %d (mean %.2f ms),"
                        + " marks or position stores %d (mean %.2f ms), backlog gauges %d (mean %.2f ms),"
                        + " cleanup deletes %d (mean %.2f ms),"
                        + " other statements %d (mean %.2f ms), connection waits mean %.3f ms",
                count(Kind.CLAIM), meanMillis(Kind.CLAIM), count(Kind.FLUSH), meanMillis(Kind.FLUSH),
                count(Kind.MARK), meanMillis(Kind.MARK), count(Kind.GAUGE), meanMillis(Kind.GAUGE),
                count(Kind.CLEANUP), meanMillis(Kind.CLEANUP), count(Kind.OTHER), meanMillis(Kind.OTHER),
                meanMillis(Kind.CONNECT));
    }
}
