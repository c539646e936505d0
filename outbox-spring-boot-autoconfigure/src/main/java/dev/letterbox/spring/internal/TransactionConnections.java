package dev.letterbox.spring.internal;

import dev.letterbox.spring.NoTransactionException;
import java.sql.Connection;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Runs code on the connection of the current Spring-managed transaction; stateless, thread-safe. */
final class TransactionConnections {

  private TransactionConnections() {
  }

  /**
   * Applies {@code work} to the connection the current transaction holds for {@code dataSource}.
   *
   * @throws NoTransactionException when no transaction is active, or it holds no connection of {@code dataSource}
   */
  static <T> T inTransaction(DataSource dataSource, String operation, Function<Connection, T> work) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new NoTransactionException(operation, "no transaction is active on this thread");
    }
    if (TransactionSynchronizationManager.getResource(dataSource) == null) {
      throw new NoTransactionException(operation, "the active transaction holds no connection of that DataSource"
          + " (is its transaction manager bound to another DataSource?)");
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      return work.apply(connection);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }
}
