package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.AutoCommitException;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxDatabaseException;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaMissingException;
import dev.letterbox.outbox.UnsupportedWriteModeException;
import dev.letterbox.outbox.WriteMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stock {@link Outbox}: validates, adds trace headers, writes with {@link EventWriter} and, when
 * asked, wakes the relay with {@link RelayNotifier}; thread-safe.
 */
public final class DefaultOutbox implements Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultOutbox.class);

  private final OutboxTables tables;
  private final WriteMode writeMode;
  private final int maxPayloadBytes;
  private final int maxHeaderBytes;
  private final boolean captureTraceContext;
  private final Map<Dialect, EventWriter> writers = new EnumMap<>(Dialect.class);
  /** Null unless {@code notifyRelay} was set with {@link WriteMode#TABLE}. */
  private final RelayNotifier notifier;

  /**
   * Creates the outbox; called by {@link Outbox.Builder}.
   *
   * @param notifyRelay the shortest time between two wake-up notifications, or null for none
   */
  public DefaultOutbox(OutboxTables tables, WriteMode writeMode, int maxPayloadBytes, int maxHeaderBytes,
      String logicalMessagePrefix, boolean captureTraceContext, Clock clock, Duration notifyRelay) {
    this.tables = tables;
    this.writeMode = writeMode;
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.captureTraceContext = captureTraceContext;
    for (Dialect dialect : Dialect.values()) {
      writers.put(dialect, new EventWriter(EventSql.of(dialect, tables), writeMode, logicalMessagePrefix, clock));
    }
    if (notifyRelay != null && writeMode != WriteMode.TABLE) {
      LOG.atWarn().addKeyValue("write_mode", writeMode)
          .log("outbox.notify-relay is ignored: it wakes the polling relay, and this write mode is read by the"
              + " CDC relay, which needs no wake-up (remove the option)");
    }
    this.notifier = notifyRelay != null && writeMode == WriteMode.TABLE
        // the relay listens on the channel named like the unqualified event table, <prefix>event
        ? new RelayNotifier(tables.eventTable(), notifyRelay, System::nanoTime)
        : null;
  }

  @Override
  public void append(DSLContext tx, OutboxEvent event) {
    appendAll(tx, List.of(Objects.requireNonNull(event, "event")));
  }

  @Override
  public void append(Connection tx, OutboxEvent event) {
    appendAll(tx, List.of(Objects.requireNonNull(event, "event")));
  }

  @Override
  public void appendAll(DSLContext tx, List<OutboxEvent> events) {
    Objects.requireNonNull(tx, "tx");
    ConnectionProvider provider = tx.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try {
      appendAll(connection, events);
    } finally {
      provider.release(connection);
    }
  }

  @Override
  public void appendAll(Connection tx, List<OutboxEvent> events) {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(events, "events");
    requireTransaction(tx, "Outbox.append");
    if (events.isEmpty()) {
      return;
    }
    List<EventWriter.Row> rows = new ArrayList<>(events.size());
    for (OutboxEvent event : events) {
      rows.add(prepare(Objects.requireNonNull(event, "events must not contain null")));
    }
    Dialect dialect = Dialect.detect(tx);
    if (writeMode == WriteMode.LOGICAL_MESSAGE && dialect != Dialect.POSTGRESQL) {
      throw new UnsupportedWriteModeException(writeMode, productName(tx));
    }
    EventWriter writer = writers.get(dialect);
    try {
      writer.write(tx, rows);
    } catch (SQLException e) {
      if (Dialect.isUndefinedTable(e)) {
        throw new SchemaMissingException(writer.table(), e);
      }
      throw new OutboxDatabaseException("appending " + rows.size() + " event(s) to " + writer.table()
          + " (write mode " + writeMode + ")", e);
    }
    if (notifier != null) {
      notifier.afterAppend(tx, dialect);
    }
  }

  private EventWriter.Row prepare(OutboxEvent event) {
    EventRules.requirePayloadSize(event.payloadSize(), maxPayloadBytes);
    Map<String, String> headers = captureTraceContext ? TraceContext.withCurrent(event.headers()) : event.headers();
    EventRules.requireHeaderSize(headers, maxHeaderBytes);
    return new EventWriter.Row(event, headers);
  }

  /** Refuses a connection in auto-commit mode, naming {@code operation}. */
  public static void requireTransaction(Connection tx, String operation) {
    try {
      if (tx.getAutoCommit()) {
        throw new AutoCommitException(operation);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("reading the connection's auto-commit mode", e);
    }
  }

  private static String productName(Connection tx) {
    try {
      return tx.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      return "this database";
    }
  }

  @Override
  public OutboxTables tables() {
    return tables;
  }

  @Override
  public WriteMode writeMode() {
    return writeMode;
  }
}
