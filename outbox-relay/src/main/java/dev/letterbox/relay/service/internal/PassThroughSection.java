package dev.letterbox.relay.service.internal;

import java.util.Objects;

/**
 * A section whose keys are not declared here but passed verbatim to another component, such as
 * {@code kafka.producer.*} to kafka-clients or {@code debezium.*} to the CDC strategy.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param prefix  dotted path of the section, e.g. {@code kafka.producer}
 * @param example a key/value pair shown in the reference, e.g. {@code linger.ms: 5}
 * @param doc     what receives the keys and how
 * @param values  the type every value must have (the binder refuses others and passes on the parsed
 *                text), or null when any text is passed on as it is
 */
public record PassThroughSection(String prefix, String example, String doc, ValueType<String> values) {

    public PassThroughSection {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(doc, "doc");
    }

    /** A section whose values are passed on as they are, whatever their text. */
    public PassThroughSection(String prefix, String example, String doc) {
        this(prefix, example, doc, null);
    }

    /** True when {@code path} is a key inside this section. */
    public boolean contains(String path) {
        return path.startsWith(prefix + ".");
    }

    /** The key as the receiving component names it: the path without this section's prefix. */
    public String innerKey(String path) {
        return path.substring(prefix.length() + 1);
    }
}
