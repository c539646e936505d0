package dev.letterbox.relay.service.internal;

import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds the leaves of a YAML file to the declared keys: substitutes environment variables,
 * parses each value by its type, applies defaults, and refuses unknown keys (with the nearest
 * valid one), invalid values (with the rule and the value) and missing required keys.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigBinder {

    private final List<ConfigKey<?>> keys;
    private final List<PassThroughSection> sections;
    private final EnvSubstitution env;

    /** Binds against {@code keys} and {@code sections}, substituting from {@code env}. */
    public ConfigBinder(List<ConfigKey<?>> keys, List<PassThroughSection> sections, Map<String, String> env) {
        this.keys = List.copyOf(keys);
        this.sections = List.copyOf(sections);
        this.env = new EnvSubstitution(env);
    }

    /**
     * Binds {@code nodes} read from {@code source}.
     *
     * @throws ConfigException listing every problem found
     */
    public BoundValues bind(String source, Map<String, YamlNode> nodes) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, ConfigKey<?>> byPath = new LinkedHashMap<>();
        keys.forEach(k -> byPath.put(k.path(), k));
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Map<String, String>> passThrough = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();

        for (YamlNode node : nodes.values()) {
            lines.put(node.path(), node.line());
            PassThroughSection section = sectionOf(node.path());
            if (byPath.containsKey(node.path())) {
                continue;
            }
            if (section != null) {
                bindPassThrough(section, node, passThrough, problems);
            } else if (!(node.text() == null && isSectionPath(node.path()))) {
                problems.add(unknown(node));
            }
        }
        for (ConfigKey<?> key : keys) {
            YamlNode node = nodes.get(key.path());
            bindKey(key, node, values, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new BoundValues(values, passThrough, lines);
    }

    private void bindKey(ConfigKey<?> key, YamlNode node, Map<String, Object> values, List<ConfigProblem> problems) {
        String text = null;
        if (node != null) {
            try {
                text = env.apply(node.text(), key.type().placeholders());
            } catch (IllegalArgumentException e) {
                problems.add(ConfigProblem.at(key.path(), node.line(), node.column(), key.path() + " " + e.getMessage()));
                return;
            }
        }
        if (text != null && text.isEmpty() && node != null && key.type().emptyIsAValue()) {
            // regression: `table-prefix: ""` silently became the default prefix
            values.put(key.path(), key.type().parse(text));
            return;
        }
        if (text == null || text.isBlank()) {
            if (key.required()) {
                String where = node == null ? "" : " (it is empty)";
                ConfigProblem p = ConfigProblem.of(key.path(), "missing required key " + key.path() + where
                        + ": " + key.doc());
                problems.add(node == null ? p : ConfigProblem.at(key.path(), node.line(), node.column(), p.message()));
            }
            values.put(key.path(), key.defaultValue());
            return;
        }
        try {
            values.put(key.path(), key.type().parse(text));
        } catch (IllegalArgumentException e) {
            String shown = SecretMasking.isSecret(key.path()) ? e.getMessage().replace(text, SecretMasking.MASK)
                    : e.getMessage();
            problems.add(ConfigProblem.at(key.path(), node.line(), node.column(), key.path() + " " + shown));
        }
    }

    private void bindPassThrough(PassThroughSection section, YamlNode node,
                                 Map<String, Map<String, String>> out, List<ConfigProblem> problems) {
        try {
            String text = env.apply(node.text());
            String value = text == null ? "" : text;
            if (section.values() != null) {
                value = section.values().parse(value);
            }
            out.computeIfAbsent(section.prefix(), p -> new LinkedHashMap<>())
                    .put(section.innerKey(node.path()), value);
        } catch (IllegalArgumentException e) {
            problems.add(ConfigProblem.at(node.path(), node.line(), node.column(), node.path() + " " + e.getMessage()));
        }
    }

    private ConfigProblem unknown(YamlNode node) {
        Set<String> candidates = new TreeSet<>();
        keys.forEach(k -> candidates.add(k.path()));
        sections.forEach(s -> candidates.add(s.prefix() + ".*"));
        String hint = Suggestions.nearest(node.path(), candidates)
                .map(s -> "; did you mean '" + s + "'?").orElse("");
        return ConfigProblem.at(node.path(), node.line(), node.column(), "unknown key '" + node.path() + "'" + hint);
    }

    private PassThroughSection sectionOf(String path) {
        for (PassThroughSection s : sections) {
            if (s.contains(path)) {
                return s;
            }
        }
        return null;
    }

    /** True for a section that holds declared keys, e.g. {@code relay.polling}, written empty. */
    private boolean isSectionPath(String path) {
        String prefix = path + ".";
        return keys.stream().anyMatch(k -> k.path().startsWith(prefix))
                || sections.stream().anyMatch(s -> s.prefix().equals(path) || s.prefix().startsWith(prefix));
    }
}
