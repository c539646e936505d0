package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.DefaultInbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * Runs a consumer's handler at most once per (consumer name, event id), inside the consumer's own
 * database transaction, so a redelivered event has no second effect; thread-safe.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.of(OutboxTables.ofDefaults());
 * dsl.transaction(cfg -> {
 *   boolean ran = inbox.runOnce(cfg.dsl(), "billing", eventId, () -> applyPayment(cfg.dsl(), payment));
 * });
 * }</pre>
 *
 * <p>{@code runOnce} inserts {@code (consumer, eventId)} into the inbox table if absent
 * (PostgreSQL {@code ON CONFLICT DO NOTHING}, MariaDB {@code INSERT IGNORE}) and runs the handler
 * only when this transaction inserted it. When two transactions deliver the same event at once,
 * the second waits on the first's row lock: if the first commits, the second skips the handler;
 * if it rolls back, the second runs it. Either way exactly one effect is committed.
 */
public interface Inbox {
  /** Longest consumer name and event id: the {@code varchar(255)} columns. */
  int MAX_KEY_LENGTH = 255;

  /** The inbox in {@code tables}' inbox table. */
  static Inbox of(OutboxTables tables) {
    return new DefaultInbox(tables);
  }

  /** The inbox in the default table {@code outbox_inbox}. */
  static Inbox ofDefaults() {
    return of(OutboxTables.ofDefaults());
  }

  /**
   * Runs {@code handler} in the transaction of {@code tx} unless {@code consumer} already
   * processed {@code eventId}.
   *
   * @return {@code true} when the handler ran, {@code false} when the event was a duplicate
   * @throws AutoCommitException when {@code tx} is in auto-commit mode
   */
  boolean runOnce(DSLContext tx, String consumer, String eventId, Handler handler);

  /** JDBC variant of {@link #runOnce(DSLContext, String, String, Handler)}. */
  boolean runOnce(Connection tx, String consumer, String eventId, Handler handler);

  /**
   * Deletes inbox rows processed more than {@code olderThan} ago, in transactions of at most
   * {@code batchSize} rows, until none are left; borrows one connection from {@code dataSource}.
   *
   * @param olderThan minimum age (by the database clock), not negative
   * @param batchSize rows per delete transaction, 1 to 100,000
   * @return the number of rows deleted
   */
  long purge(DataSource dataSource, Duration olderThan, int batchSize);

  /** The tables this inbox uses. */
  OutboxTables tables();

  /** The effect of one event; runs inside the caller's transaction. */
  @FunctionalInterface
  interface Handler {
    /** Applies the event; a thrown exception propagates, so the caller rolls back and the event stays unprocessed. */
    void handle() throws SQLException;
  }
}
