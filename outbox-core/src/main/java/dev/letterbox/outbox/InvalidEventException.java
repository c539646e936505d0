package dev.letterbox.outbox;

/**
 * Thrown when an {@link OutboxEvent} breaks a rule (blank aggregate id, payload too large, a topic
 * name Kafka would reject...); carries the field, the rule and the offending value.
 */
public final class InvalidEventException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;
  private final String value;

  /**
   * Creates the exception.
   *
   * @param field the event field, e.g. {@code aggregateId} or {@code headers.traceparent}
   * @param rule what the field must satisfy, e.g. {@code must not be blank}
   * @param value the rejected value as text (shortened when long), {@code null} when absent
   */
  public InvalidEventException(String field, String rule, String value) {
    super("outbox event " + field + " " + rule + ", was " + describe(value));
    this.field = field;
    this.rule = rule;
    this.value = value;
  }

  /** The event field that broke the rule, e.g. {@code aggregateId}. */
  public String field() {
    return field;
  }

  /** The rule the field broke, e.g. {@code must not be blank}. */
  public String rule() {
    return rule;
  }

  /** The rejected value as text (possibly shortened), or {@code null}. */
  public String value() {
    return value;
  }

  private static String describe(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 120 ? value.substring(0, 117) + "..." : value;
    return "'" + shown + "'";
  }
}
