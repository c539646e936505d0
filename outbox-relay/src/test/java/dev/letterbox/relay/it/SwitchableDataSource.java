package dev.letterbox.relay.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A JDBC proxy around a {@link DataSource} whose database a test can take away and give back: while
 * down, new connections are refused (as a pool does when the server is unreachable) and every call
 * on a connection already handed out fails as on a lost connection, except {@code close()}, which
 * still returns it to the pool underneath. Records which thread was refused. Thread-safe.
 */
final class SwitchableDataSource {

    private static final Set<String> ALWAYS_PASS = Set.of("close", "isClosed", "toString", "hashCode", "equals");

    private final DataSource proxy;
    private final List<String> refusedThreads = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    SwitchableDataSource(DataSource target) {
        this.proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    if (m.getName().equals("getConnection") && down) {
                        refusedThreads.add(Thread.currentThread().getName());
                        throw new SQLTransientConnectionException("connection refused: the test took the database away",
                                "08001");
                    }
                    Object result = invoke(target, m, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    DataSource dataSource() {
        return proxy;
    }

    /** Takes the database away: nothing reaches it until {@link #up()}. */
    void down() {
        refusedThreads.clear();
        down = true;
    }

    void up() {
        down = false;
    }

    /** Connection attempts refused since {@link #down()} by threads whose name starts with the prefix. */
    long refusals(String threadPrefix) {
        return refusedThreads.stream().filter(t -> t.startsWith(threadPrefix)).count();
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    if (down && !ALWAYS_PASS.contains(m.getName())) {
                        throw new SQLNonTransientConnectionException("connection lost: the test took the database away",
                                "08006");
                    }
                    return invoke(target, m, args);
                });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
