package dev.letterbox.relay.service.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The typed values of a configuration file after binding: every declared key (its value or its
 * default), the pass-through sections, and the line each key was written on.
 *
 * <p>Immutable and thread-safe.
 */
public final class BoundValues {

    private final Map<String, Object> values;
    private final Map<String, Map<String, String>> sections;
    private final Map<String, Integer> lines;

    BoundValues(Map<String, Object> values, Map<String, Map<String, String>> sections, Map<String, Integer> lines) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        sections.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.sections = Collections.unmodifiableMap(copy);
        this.lines = Map.copyOf(lines);
    }

    /** The value of {@code key}: what the file set, else its default; null when neither. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Objects.requireNonNull(key, "key");
        if (!values.containsKey(key.path())) {
            throw new IllegalArgumentException(key.path() + " is not a declared key");
        }
        return (T) values.get(key.path());
    }

    /** The keys of a pass-through section, without its prefix, in file order; empty when absent. */
    public Map<String, String> section(PassThroughSection section) {
        return sections.getOrDefault(section.prefix(), Map.of());
    }

    /** The line {@code path} was written on, or 0 when it came from a default. */
    public int lineOf(String path) {
        return lines.getOrDefault(path, 0);
    }

    /** Every key path written in the file, with its line. */
    Map<String, Integer> lines() {
        return lines;
    }
}
