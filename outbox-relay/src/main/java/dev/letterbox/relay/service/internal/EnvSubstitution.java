package dev.letterbox.relay.service.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:default}} in configuration values with environment
 * variables; {@code $${} writes a literal {@code ${}.
 *
 * <p>Immutable and thread-safe.
 */
public final class EnvSubstitution {

    private final Map<String, String> env;

    /** Substitutes from {@code env} (usually {@link System#getenv()}). */
    public EnvSubstitution(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /**
     * Returns {@code text} with every reference replaced.
     *
     * @throws IllegalArgumentException naming the variable when it is unset and has no default, or
     *                                  when a reference is not closed
     */
    public String apply(String text) {
        return apply(text, Set.of());
    }

    /**
     * Returns {@code text} with every reference replaced, except {@code ${name}} for the names in
     * {@code kept}, which stay as they are.
     *
     * @throws IllegalArgumentException as {@link #apply(String)}
     */
    public String apply(String text, Set<String> kept) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("has an unclosed '${' in '" + text + "'; close it with '}'");
                }
                String reference = text.substring(i + 2, end);
                out.append(kept.contains(reference) ? "${" + reference + "}" : resolve(reference));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        int colon = reference.indexOf(':');
        String name = colon < 0 ? reference : reference.substring(0, colon);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("refers to '${" + reference
                    + "}', but an environment variable name is letters, digits and '_' (write $${ for a literal ${)");
        }
        String value = env.get(name);
        if (value != null) {
            return value;
        }
        if (colon >= 0) {
            return reference.substring(colon + 1);
        }
        throw new IllegalArgumentException("refers to environment variable " + name
                + ", which is not set; set it, or give a default: ${" + name + ":value}");
    }
}
