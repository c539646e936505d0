package dev.letterbox.relay.service.internal;

import java.util.List;

/**
 * One leaf of the configuration file: its dotted path, its text (a scalar, or list items joined
 * by commas) and where it was written.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param path   dotted path, e.g. {@code kafka.producer.linger.ms}
 * @param values the scalar as a one-element list, the items of a YAML list, or empty for {@code null}
 * @param line   1-based line of the key
 * @param column 1-based column of the key
 */
public record YamlNode(String path, List<String> values, int line, int column) {

    public YamlNode {
        values = List.copyOf(values);
    }

    /** The value as one text (list items joined by commas), or null when the file wrote no value. */
    public String text() {
        return values.isEmpty() ? null : String.join(",", values);
    }
}
