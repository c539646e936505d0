package dev.letterbox.spring.internal;

import dev.letterbox.outbox.OutboxException;
import java.util.List;

/** Thrown at start-up when {@code letterbox.*} properties are invalid; lists every problem; immutable. */
public final class InvalidPropertiesException extends OutboxException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** Creates the exception; each problem names its property, the rule and the value. */
  public InvalidPropertiesException(List<String> problems) {
    super("invalid Letterbox properties: " + String.join("; ", problems)
        + " (docs/configuration.md lists every letterbox.* property)");
    this.problems = List.copyOf(problems);
  }

  /** The problems, each naming its property. */
  public List<String> problems() {
    return problems;
  }
}
