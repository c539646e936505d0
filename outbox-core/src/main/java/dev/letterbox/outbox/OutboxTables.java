package dev.letterbox.outbox;

import java.util.regex.Pattern;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * Where the outbox tables live: an optional schema and a table-name prefix; immutable and
 * thread-safe.
 *
 * <p>Both values are validated as lower-case SQL identifiers and always rendered quoted, so
 * nothing a configuration value holds reaches SQL unquoted. The defaults give
 * {@code outbox_event}, {@code outbox_lease}, {@code outbox_inbox} and
 * {@code outbox_schema_version} in the connection's current schema.
 *
 * <pre>{@code
 * OutboxTables tables = OutboxTables.ofDefaults().withSchema("billing").withPrefix("billing_outbox_");
 * }</pre>
 *
 * @param schema the schema (PostgreSQL, H2) or database (MariaDB/MySQL) holding the tables, or
 *     {@code null} for the connection's current one; {@code [a-z_][a-z0-9_]*}, at most 63 characters
 * @param prefix the table-name prefix, default {@code outbox_}; {@code [a-z_][a-z0-9_]*} or empty,
 *     at most 40 characters (index names append up to 23)
 */
public record OutboxTables(String schema, String prefix) {
  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "outbox_";
  /** Longest prefix: PostgreSQL truncates identifiers past 63 bytes and index names add 23. */
  public static final int MAX_PREFIX_LENGTH = 40;
  /** Longest schema name (PostgreSQL's identifier limit). */
  public static final int MAX_SCHEMA_LENGTH = 63;

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Validates both names; throws {@link InvalidConfigurationException} naming the property and value. */
  public OutboxTables {
    if (schema != null) {
      requireIdentifier("outbox.tables.schema", schema, MAX_SCHEMA_LENGTH);
    }
    if (prefix == null) {
      throw new InvalidConfigurationException("outbox.tables.prefix", "must not be null (use \"\" for no prefix,"
          + " the default is \"" + DEFAULT_PREFIX + "\")", null);
    }
    if (!prefix.isEmpty()) {
      requireIdentifier("outbox.tables.prefix", prefix, MAX_PREFIX_LENGTH);
    }
  }

  /** The default tables: no schema, prefix {@code outbox_}. */
  public static OutboxTables ofDefaults() {
    return new OutboxTables(null, DEFAULT_PREFIX);
  }

  /** Tables in {@code schema} (may be {@code null}) with the given prefix. */
  public static OutboxTables of(String schema, String prefix) {
    return new OutboxTables(schema, prefix);
  }

  /** A copy in another schema ({@code null} for the connection's current one). */
  public OutboxTables withSchema(String newSchema) {
    return new OutboxTables(newSchema, prefix);
  }

  /** A copy with another prefix. */
  public OutboxTables withPrefix(String newPrefix) {
    return new OutboxTables(schema, newPrefix);
  }

  /** The unqualified name of the event table, e.g. {@code outbox_event}. */
  public String eventTable() {
    return prefix + "event";
  }

  /** The unqualified name of the lease table, e.g. {@code outbox_lease}. */
  public String leaseTable() {
    return prefix + "lease";
  }

  /** The unqualified name of the inbox table, e.g. {@code outbox_inbox}. */
  public String inboxTable() {
    return prefix + "inbox";
  }

  /** The unqualified name of the schema-version table, e.g. {@code outbox_schema_version}. */
  public String schemaVersionTable() {
    return prefix + "schema_version";
  }

  /** The event table as a jOOQ name (schema-qualified when a schema is set; rendered quoted). */
  public Name eventTableName() {
    return qualified(eventTable());
  }

  /** The lease table as a jOOQ name (schema-qualified when a schema is set; rendered quoted). */
  public Name leaseTableName() {
    return qualified(leaseTable());
  }

  /** The inbox table as a jOOQ name (schema-qualified when a schema is set; rendered quoted). */
  public Name inboxTableName() {
    return qualified(inboxTable());
  }

  /** The schema-version table as a jOOQ name (schema-qualified when a schema is set; rendered quoted). */
  public Name schemaVersionTableName() {
    return qualified(schemaVersionTable());
  }

  private Name qualified(String table) {
    return schema == null ? DSL.quotedName(table) : DSL.quotedName(schema, table);
  }

  private static void requireIdentifier(String property, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidConfigurationException(property, "must be at most " + maxLength + " characters", value);
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new InvalidConfigurationException(property, "must be a lower-case SQL identifier matching"
          + " [a-z_][a-z0-9_]* (no quotes, spaces, dots or dashes)", value);
    }
  }
}
