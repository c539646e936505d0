package dev.letterbox.spring.internal;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.spring.TransactionalOutbox;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The stock {@link TransactionalOutbox}; thread-safe. */
public final class DefaultTransactionalOutbox implements TransactionalOutbox {

  private final Outbox outbox;
  private final DataSource dataSource;
  private final Runnable afterCommit;

  /** See {@link TransactionalOutbox#of}. */
  public DefaultTransactionalOutbox(Outbox outbox, DataSource dataSource, Runnable afterCommit) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.afterCommit = afterCommit;
  }

  @Override
  public void append(OutboxEvent event) {
    TransactionConnections.inTransaction(dataSource, "TransactionalOutbox.append", c -> {
      outbox.append(c, event);
      return null;
    });
    registerWakeUp();
  }

  @Override
  public void appendAll(List<OutboxEvent> events) {
    TransactionConnections.inTransaction(dataSource, "TransactionalOutbox.appendAll", c -> {
      outbox.appendAll(c, events);
      return null;
    });
    registerWakeUp();
  }

  /** Registers the after-commit hook once per transaction (the resource key marks it done). */
  private void registerWakeUp() {
    if (afterCommit == null || TransactionSynchronizationManager.hasResource(this)
        || !TransactionSynchronizationManager.isSynchronizationActive()) {
      return;
    }
    TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        afterCommit.run();
      }

      @Override
      public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(DefaultTransactionalOutbox.this);
      }
    });
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }
}
