package dev.letterbox.relay.it;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A JDBC proxy around a {@link DataSource} that records every statement executed through it: the
 * thread, the SQL, and the rows a query returned (counted as the caller reads them) or the update
 * count. Thread-safe.
 */
public final class CountingDataSource {

    /** One executed statement. */
    public static final class Execution {
        public final String thread;
        public final String sql;
        public final AtomicInteger rows = new AtomicInteger();

        Execution(String thread, String sql) {
            this.thread = thread;
            this.sql = sql;
        }

        public boolean isQuery() {
            return sql.stripLeading().toUpperCase().startsWith("SELECT");
        }

        @Override
        public String toString() {
            return (isQuery() ? "query" : "update") + "(" + rows.get() + "): " + sql;
        }
    }

    private final List<Execution> executions = new CopyOnWriteArrayList<>();
    private final DataSource proxy;

    public CountingDataSource(DataSource target) {
        this.proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    Object result = invoke(target, m, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    public DataSource dataSource() {
        return proxy;
    }

    public List<Execution> executions() {
        return List.copyOf(executions);
    }

    public void clear() {
        executions.clear();
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    Object result = invoke(target, m, args);
                    if (result instanceof PreparedStatement ps && m.getName().equals("prepareStatement")) {
                        return statement(ps, (String) args[0]);
                    }
                    return result;
                });
    }

    private PreparedStatement statement(PreparedStatement target, String sql) {
        // the latest execution: getResultSet() after execute() (a statement of several queries) counts into it
        Execution[] last = new Execution[1];
        InvocationHandler h = (p, m, args) -> {
            String name = m.getName();
            if (name.equals("getResultSet") && last[0] != null) {
                Object result = invoke(target, m, args);
                return result instanceof ResultSet rs ? resultSet(rs, last[0]) : result;
            }
            if (name.equals("executeQuery") || name.equals("executeUpdate") || name.equals("execute")
                    || name.equals("executeBatch")) {
                Execution e = new Execution(Thread.currentThread().getName(), sql);
                last[0] = e;
                executions.add(e);
                Object result = invoke(target, m, args);
                if (result instanceof ResultSet rs) {
                    return resultSet(rs, e);
                }
                if (result instanceof Integer n) {
                    e.rows.set(n);
                }
                return result;
            }
            return invoke(target, m, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, h);
    }

    private ResultSet resultSet(ResultSet target, Execution e) {
        return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ResultSet.class},
                (p, m, args) -> {
                    Object result = invoke(target, m, args);
                    if (m.getName().equals("next") && Boolean.TRUE.equals(result)) {
                        e.rows.incrementAndGet();
                    }
                    return result;
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
