package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a schema script written with the default names into statements for configured tables:
 * every quoted {@code outbox_*} identifier gets the configured prefix, and table names the
 * configured schema; stateless.
 */
final class DdlRenderer {
  private static final Set<String> TABLES = Set.of("event", "lease", "inbox", "schema_version", "event_seq");

  private final Dialect dialect;
  private final OutboxTables tables;
  private final Pattern token;

  DdlRenderer(Dialect dialect, OutboxTables tables) {
    this.dialect = dialect;
    this.tables = tables;
    String q = Pattern.quote(dialect.quote("").substring(0, 1));
    this.token = Pattern.compile(q + OutboxTables.DEFAULT_PREFIX + "([a-z0-9_]+)" + q);
  }

  /** Splits {@code script} into statements (ending with {@code ;} at a line end) and renames. */
  List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(rename(sql.substring(0, sql.length() - 1)));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(rename(current.toString().strip()));
    }
    return statements;
  }

  /** Replaces the default names in one statement. */
  String rename(String sql) {
    Matcher m = token.matcher(sql);
    StringBuilder out = new StringBuilder(sql.length() + 32);
    while (m.find()) {
      String suffix = m.group(1);
      String name = tables.prefix() + suffix;
      String rendered;
      if (TABLES.contains(suffix) || dialect == Dialect.H2) {
        // H2 keeps index and constraint names per schema and wants them qualified like the table.
        rendered = dialect.table(tables, name);
      } else {
        rendered = dialect.quote(name);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(rendered));
    }
    m.appendTail(out);
    return out.toString();
  }
}
