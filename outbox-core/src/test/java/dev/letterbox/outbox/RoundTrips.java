package dev.letterbox.outbox;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Counts statement executions (database round trips) through JDBC proxies; thread-safe. */
final class RoundTrips {
  private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final AtomicInteger count = new AtomicInteger();

  int count() {
    return count.get();
  }

  void reset() {
    count.set(0);
  }

  Connection wrap(Connection connection) {
    return proxy(Connection.class, connection, (target, method, args) -> {
      Object result = invoke(target, method, args);
      if (result instanceof Statement statement && method.getName().matches("prepareStatement|createStatement|prepareCall")) {
        Class<?> type = method.getReturnType();
        return wrapStatement(type, statement);
      }
      return result;
    });
  }

  DataSource wrap(DataSource dataSource) {
    return proxy(DataSource.class, dataSource, (target, method, args) -> {
      Object result = invoke(target, method, args);
      return result instanceof Connection c ? wrap(c) : result;
    });
  }

  private Object wrapStatement(Class<?> type, Statement statement) {
    return proxy(type, statement, (target, method, args) -> {
      if (EXECUTIONS.contains(method.getName())) {
        count.incrementAndGet();
      }
      return invoke(target, method, args);
    });
  }

  private interface Handler {
    Object handle(Object target, Method method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<?> type, Object target, Handler handler) {
    InvocationHandler ih = (p, method, args) -> handler.handle(target, method, args);
    return (T) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {type}, ih);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
