package dev.letterbox.relay.service;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Thrown when a configuration file cannot be used: malformed YAML, unknown keys, invalid values or
 * missing required keys. The message lists every problem found, one per line, and fits on one
 * screen; {@link #problems()} gives them to programs.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 15;

    private final String source;
    private final transient List<ConfigProblem> problems;

    /**
     * Creates the exception.
     *
     * @param source   the file (or other source) the configuration came from
     * @param problems what is wrong; at least one
     */
    public ConfigException(String source, List<ConfigProblem> problems) {
        super(render(source, problems));
        this.source = Objects.requireNonNull(source, "source");
        this.problems = List.copyOf(problems);
    }

    /** The file the configuration came from. */
    public String source() {
        return source;
    }

    /** Every problem found, ordered by line. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(String source, List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        List<ConfigProblem> sorted = problems.stream()
                .sorted(Comparator.comparingInt((ConfigProblem p) -> p.line() <= 0 ? Integer.MAX_VALUE : p.line())
                        .thenComparing(p -> p.path() == null ? "" : p.path()))
                .toList();
        StringBuilder out = new StringBuilder("Invalid configuration in ").append(source)
                .append(" (").append(sorted.size()).append(sorted.size() == 1 ? " problem):" : " problems):");
        sorted.stream().limit(SHOWN).forEach(p -> out.append("\n  ").append(p.describe()));
        if (sorted.size() > SHOWN) {
            out.append("\n  ... and ").append(sorted.size() - SHOWN).append(" more");
        }
        out.append("\nThe relay did not start. Every key is described in docs/configuration.md.");
        return out.toString();
    }
}
