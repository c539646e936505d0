package dev.letterbox.outbox;

/**
 * Thrown when a configuration value (table prefix, schema, size limit...) is invalid; the message
 * names the property, the rule and the value.
 */
public final class InvalidConfigurationException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String value;

  /**
   * Creates the exception.
   *
   * @param property the configuration property, e.g. {@code outbox.tables.prefix}
   * @param rule the rule the value breaks, e.g. {@code must match [a-z_][a-z0-9_]*}
   * @param value the rejected value as text, {@code null} when absent
   */
  public InvalidConfigurationException(String property, String rule, String value) {
    super(property + " " + rule + ", was " + (value == null ? "null" : "'" + value + "'"));
    this.property = property;
    this.value = value;
  }

  /** The property that holds the invalid value. */
  public String property() {
    return property;
  }

  /** The rejected value, or {@code null}. */
  public String value() {
    return value;
  }
}
