package dev.letterbox.relay.service.internal;

import java.util.Objects;

/**
 * The one declaration of a configuration key: its dotted path, type, default and documentation.
 *
 * <p>The binder, the masking, {@code config check} and the generated reference
 * (docs/configuration.md) all read these declarations. Instances are immutable and thread-safe.
 *
 * @param path         dotted path in the YAML file, e.g. {@code relay.polling.batch-size}
 * @param type         how the value is parsed and described
 * @param defaultValue the value when the key is absent; null when there is none
 * @param required     true when the file must set it (then {@code defaultValue} is null)
 * @param doc          one or two sentences for the reference
 * @param <T>          the Java type of the value
 */
public record ConfigKey<T>(String path, ValueType<T> type, T defaultValue, boolean required, String doc) {

    public ConfigKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(path + ": a required key has no default");
        }
    }

    /** Declares an optional key with a default (null means "not set"). */
    public static <T> ConfigKey<T> optional(String path, ValueType<T> type, T defaultValue, String doc) {
        return new ConfigKey<>(path, type, defaultValue, false, doc);
    }

    /** Declares a key the file must set. */
    public static <T> ConfigKey<T> required(String path, ValueType<T> type, String doc) {
        return new ConfigKey<>(path, type, null, true, doc);
    }

    /** The default as a user would write it, or an empty string. */
    public String defaultText() {
        return type.format(defaultValue);
    }
}
