package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxTables;

/** The statements that write events for one dialect and one set of tables; immutable. */
record EventSql(Dialect dialect, String table, String insert, String insertArrays, String insertArraysThenDelete,
    String emitMessages) {

  static EventSql of(Dialect dialect, OutboxTables tables) {
    String table = dialect.table(tables, tables.eventTable());
    String columns = String.join(",", dialect.quote("id"), dialect.quote("aggregatetype"),
        dialect.quote("aggregateid"), dialect.quote("type"), dialect.quote("payload"), dialect.quote("headers"),
        dialect.quote("topic"));
    String headers = dialect == Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
    String insert = "INSERT INTO " + table + " (" + columns + ") VALUES (?,?,?,?,?," + headers + ",?)";
    // PostgreSQL: a batch is one statement over arrays (one execution, not one per row), and
    // INSERT_AND_DELETE appends the DELETE to it: the driver sends both in one round trip.
    String insertArrays = null;
    String insertArraysThenDelete = null;
    if (dialect == Dialect.POSTGRESQL) {
      insertArrays = "INSERT INTO " + table + " (" + columns + ") SELECT u.i, u.at, u.ai, u.t, u.p, CAST(u.h AS jsonb), u.tp"
          + " FROM unnest(CAST(? AS uuid[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]),"
          + " CAST(? AS bytea[]), CAST(? AS text[]), CAST(? AS varchar[])) AS u(i, at, ai, t, p, h, tp)";
      insertArraysThenDelete = insertArrays + ";DELETE FROM " + table + " WHERE " + dialect.quote("id")
          + " = ANY(CAST(? AS uuid[]))";
    }
    String emit = dialect == Dialect.POSTGRESQL
        ? "SELECT count(pg_logical_emit_message(true, ?, m.c)) FROM unnest(CAST(? AS bytea[]))"
            + " WITH ORDINALITY AS m(c, n)"
        : null;
    return new EventSql(dialect, table, insert, insertArrays, insertArraysThenDelete, emit);
  }

  /** {@code DELETE ... WHERE id IN (?, ...)} for {@code count} ids. */
  String deleteByIds(int count) {
    StringBuilder sql = new StringBuilder(64 + 2 * count)
        .append("DELETE FROM ").append(table).append(" WHERE ").append(dialect.quote("id")).append(" IN (");
    for (int i = 0; i < count; i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    return sql.append(')').toString();
  }
}
