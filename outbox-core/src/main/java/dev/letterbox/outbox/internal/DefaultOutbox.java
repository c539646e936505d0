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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;

/** The stock {@link Outbox}: validates, adds trace headers and writes with {@link EventWriter}; thread-safe. */
public final class DefaultOutbox implements Outbox {
  private final OutboxTables tables;
  private final WriteMode writeMode;
  private final int maxPayloadBytes;
  private final int maxHeaderBytes;
  private final boolean captureTraceContext;
  private final Map<Dialect, EventWriter> writers = new EnumMap<>(Dialect.class);

  /** Creates the outbox; called by {@link Outbox.Builder}. */
  public DefaultOutbox(OutboxTables tables, WriteMode writeMode, int maxPayloadBytes, int maxHeaderBytes,
      String logicalMessagePrefix, boolean captureTraceContext, Clock clock) {
    this.tables = tables;
    this.writeMode = writeMode;
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.captureTraceContext = captureTraceContext;
    for (Dialect dialect : Dialect.values()) {
      writers.put(dialect, new EventWriter(EventSql.of(dialect, tables), writeMode, logicalMessagePrefix, clock));
    }
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
