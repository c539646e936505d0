package dev.letterbox.spring.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC connection to no server: it says it is PostgreSQL inside a transaction, records each
 * statement prepared on it with its string parameters, and answers every call with a default value.
 */
final class RecordingConnection {

  @FunctionalInterface
  private interface Answer {
    Object answer(Method method, Object[] args);
  }

  private RecordingConnection() {
  }

  /** A connection that adds {@code sql [param, ...]} to {@code executed} as each statement runs. */
  static Connection postgres(List<String> executed) {
    return proxy(Connection.class, (method, args) -> switch (method.getName()) {
      case "getMetaData" -> proxy(DatabaseMetaData.class, (m, a) ->
          m.getName().equals("getDatabaseProductName") ? "PostgreSQL" : defaultValue(m));
      case "getAutoCommit" -> false;
      case "prepareStatement" -> statement((String) args[0], executed);
      default -> defaultValue(method);
    });
  }

  private static PreparedStatement statement(String sql, List<String> executed) {
    List<String> params = new ArrayList<>();
    return proxy(PreparedStatement.class, (method, args) -> {
      switch (method.getName()) {
        case "setString" -> params.add((String) args[1]);
        case "executeQuery" -> {
          executed.add(sql + " " + params);
          return proxy(ResultSet.class, (m, a) -> defaultValue(m));
        }
        case "executeUpdate", "execute" -> executed.add(sql + " " + params);
        default -> {
        }
      }
      return defaultValue(method);
    });
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(), new Class<?>[] {type},
        (p, method, args) -> answer.answer(method, args)));
  }

  private static Object defaultValue(Method method) {
    Class<?> type = method.getReturnType();
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }
}
