package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.LogicalMessageCodec;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs the statements of one write mode on one dialect: one round trip per batch where the driver allows. */
final class EventWriter {
  /** Chunk size of {@code DELETE ... IN (...)} on databases without multi-statement batches. */
  private static final int DELETE_CHUNK = 1000;

  /** A validated event with its effective headers (user headers plus trace context). */
  record Row(OutboxEvent event, Map<String, String> headers) {}

  private final EventSql sql;
  private final WriteMode mode;
  private final String prefix;
  private final Clock clock;

  EventWriter(EventSql sql, WriteMode mode, String prefix, Clock clock) {
    this.sql = sql;
    this.mode = mode;
    this.prefix = prefix;
    this.clock = clock;
  }

  String table() {
    return sql.table();
  }

  void write(Connection tx, List<Row> rows) throws SQLException {
    switch (mode) {
      case TABLE -> {
        if (sql.insertArrays() != null && rows.size() > 1) {
          insertArrays(tx, sql.insertArrays(), rows, false);
        } else {
          insert(tx, rows);
        }
      }
      case INSERT_AND_DELETE -> {
        if (sql.insertArraysThenDelete() != null) {
          insertArrays(tx, sql.insertArraysThenDelete(), rows, true);
        } else {
          insert(tx, rows);
          delete(tx, rows);
        }
      }
      case LOGICAL_MESSAGE -> emit(tx, rows);
      default -> throw new IllegalStateException("unknown write mode " + mode);
    }
  }

  private void insert(Connection tx, List<Row> rows) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql.insert())) {
      if (rows.size() == 1) {
        bind(ps, rows.get(0));
        ps.executeUpdate();
        return;
      }
      for (Row row : rows) {
        bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** PostgreSQL: all rows in one statement over arrays, optionally followed by the DELETE. */
  private void insertArrays(Connection tx, String statement, List<Row> rows, boolean thenDelete) throws SQLException {
    int n = rows.size();
    Object[] ids = new Object[n];
    String[] aggregateTypes = new String[n];
    String[] aggregateIds = new String[n];
    String[] types = new String[n];
    byte[][] payloads = new byte[n][];
    String[] headers = new String[n];
    String[] topics = new String[n];
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      OutboxEvent e = row.event();
      ids[i] = e.id();
      aggregateTypes[i] = e.aggregateType();
      aggregateIds[i] = e.aggregateId();
      types[i] = e.eventType();
      payloads[i] = e.payload();
      headers[i] = Json.headers(row.headers());
      topics[i] = e.topic();
    }
    try (PreparedStatement ps = tx.prepareStatement(statement)) {
      Array idArray = tx.createArrayOf("uuid", ids);
      ps.setArray(1, idArray);
      ps.setArray(2, tx.createArrayOf("varchar", aggregateTypes));
      ps.setArray(3, tx.createArrayOf("varchar", aggregateIds));
      ps.setArray(4, tx.createArrayOf("varchar", types));
      ps.setArray(5, tx.createArrayOf("bytea", payloads));
      ps.setArray(6, tx.createArrayOf("text", headers));
      ps.setArray(7, tx.createArrayOf("varchar", topics));
      if (thenDelete) {
        ps.setArray(8, idArray);
      }
      ps.execute();
    }
  }

  private void bind(PreparedStatement ps, Row row) throws SQLException {
    OutboxEvent e = row.event();
    bindId(ps, 1, e);
    ps.setString(2, e.aggregateType());
    ps.setString(3, e.aggregateId());
    ps.setString(4, e.eventType());
    ps.setBytes(5, e.payload());
    ps.setString(6, Json.headers(row.headers()));
    ps.setString(7, e.topic());
  }

  private void bindId(PreparedStatement ps, int index, OutboxEvent e) throws SQLException {
    if (sql.dialect() == Dialect.MARIADB) {
      ps.setString(index, e.id().toString());
    } else {
      ps.setObject(index, e.id());
    }
  }

  private void delete(Connection tx, List<Row> rows) throws SQLException {
    for (int from = 0; from < rows.size(); from += DELETE_CHUNK) {
      List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + DELETE_CHUNK));
      try (PreparedStatement ps = tx.prepareStatement(sql.deleteByIds(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          bindId(ps, i + 1, chunk.get(i).event());
        }
        ps.executeUpdate();
      }
    }
  }

  private void emit(Connection tx, List<Row> rows) throws SQLException {
    Instant now = clock.instant();
    byte[][] contents = new byte[rows.size()][];
    for (int i = 0; i < contents.length; i++) {
      Row row = rows.get(i);
      contents[i] = LogicalMessageCodec.encode(row.event(), row.headers(), now);
    }
    Array array = tx.createArrayOf("bytea", contents);
    try (PreparedStatement ps = tx.prepareStatement(sql.emitMessages())) {
      ps.setString(1, prefix);
      ps.setArray(2, array);
      ps.executeQuery().close();
    } finally {
      array.free();
    }
  }
}
