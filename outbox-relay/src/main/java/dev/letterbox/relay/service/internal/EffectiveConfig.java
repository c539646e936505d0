package dev.letterbox.relay.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration as it is in effect (file values, then defaults), with every secret masked:
 * what {@code config check} prints and {@code run} logs at start.
 *
 * <p>Stateless and thread-safe.
 */
public final class EffectiveConfig {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private EffectiveConfig() {
    }

    /** Every key with its effective, masked value, by dotted path in reference order. */
    public static Map<String, String> flat(BoundValues values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigCatalog.Group group : ConfigCatalog.groups()) {
            for (ConfigKey<?> key : group.keys()) {
                out.put(key.path(), SecretMasking.mask(key.path(), format(key, values)));
            }
            for (PassThroughSection section : group.sections()) {
                values.section(section).forEach((k, v) -> {
                    String path = section.prefix() + "." + k;
                    out.put(path, SecretMasking.mask(path, v));
                });
            }
        }
        return out;
    }

    /** The effective, masked configuration as a YAML document. */
    public static String yaml(BoundValues values) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ConfigCatalog.Group group : ConfigCatalog.groups()) {
            for (ConfigKey<?> key : group.keys()) {
                put(root, key.path().split("\\."), SecretMasking.mask(key.path(), format(key, values)));
            }
            for (PassThroughSection section : group.sections()) {
                Map<String, String> entries = values.section(section);
                if (entries.isEmpty()) {
                    continue;
                }
                Map<String, Object> masked = new LinkedHashMap<>();
                entries.forEach((k, v) -> masked.put(k, SecretMasking.mask(section.prefix() + "." + k, v)));
                put(root, section.prefix().split("\\."), masked);
            }
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String[] path, Object value) {
        Map<String, Object> node = root;
        for (int i = 0; i < path.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(path[path.length - 1], value);
    }

    private static <T> String format(ConfigKey<T> key, BoundValues values) {
        T value = values.get(key);
        return value == null ? null : key.type().format(value);
    }
}
