package dev.letterbox.relay.service.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML configuration file into its leaves, keeping the line of every key so that errors
 * can point at it.
 *
 * <p>Stateless and thread-safe.
 */
public final class YamlReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {
    }

    /**
     * Parses {@code text} into leaves keyed by dotted path, in file order.
     *
     * @param source name of the file, for messages
     * @param text   the YAML text
     * @return the leaves; empty for an empty document
     * @throws ConfigException when the YAML is malformed, not a mapping, or repeats a key
     */
    public static Map<String, YamlNode> read(String source, String text) {
        Map<String, YamlNode> nodes = new LinkedHashMap<>();
        Map<String, Integer> sections = new HashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return nodes;
            }
            if (first != JsonToken.START_OBJECT) {
                JsonLocation at = p.currentTokenLocation();
                throw new ConfigException(source, List.of(ConfigProblem.at(null, at.getLineNr(), at.getColumnNr(),
                        "the file must be a mapping of sections (database:, kafka:, relay:, ...), found "
                                + describe(first))));
            }
            readObject(p, "", nodes, sections, problems);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : at.getLineNr();
            int column = at == null ? 0 : at.getColumnNr();
            throw new ConfigException(source, List.of(ConfigProblem.at(null, line, column,
                    "malformed YAML: " + summarize(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return nodes;
    }

    private static void readObject(JsonParser p, String prefix, Map<String, YamlNode> nodes,
                                   Map<String, Integer> sections, List<ConfigProblem> problems) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
            JsonLocation at = p.currentTokenLocation();
            JsonToken value = p.nextToken();
            YamlNode node;
            if (value == JsonToken.START_OBJECT) {
                Integer earlier = sections.putIfAbsent(path, at.getLineNr());
                if (earlier != null) {
                    problems.add(ConfigProblem.at(path, at.getLineNr(), at.getColumnNr(), "section " + path
                            + " is written twice (first on line " + earlier + "); merge them"));
                }
                int before = nodes.size();
                readObject(p, path, nodes, sections, problems);
                if (nodes.size() > before) {
                    continue;
                }
                node = new YamlNode(path, List.of(), at.getLineNr(), at.getColumnNr());
            } else if (value == JsonToken.START_ARRAY) {
                node = new YamlNode(path, readList(p, path, problems), at.getLineNr(), at.getColumnNr());
            } else if (value == JsonToken.VALUE_NULL) {
                node = new YamlNode(path, List.of(), at.getLineNr(), at.getColumnNr());
            } else {
                node = new YamlNode(path, List.of(p.getText()), at.getLineNr(), at.getColumnNr());
            }
            YamlNode earlier = nodes.putIfAbsent(path, node);
            if (earlier != null) {
                problems.add(ConfigProblem.at(path, at.getLineNr(), at.getColumnNr(),
                        path + " is set twice (first on line " + earlier.line() + "); keep one"));
            }
        }
    }

    private static List<String> readList(JsonParser p, String path, List<ConfigProblem> problems) throws IOException {
        List<String> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                JsonLocation at = p.currentTokenLocation();
                problems.add(ConfigProblem.at(path, at.getLineNr(), at.getColumnNr(),
                        path + " must be a list of plain values, found a nested " + describe(t)));
                p.skipChildren();
            } else if (t != JsonToken.VALUE_NULL) {
                items.add(p.getText());
            }
        }
        return items;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "list";
            case START_OBJECT -> "mapping";
            default -> "plain value";
        };
    }

    /** Folds the parser's multi-line message (context, excerpt, caret) into one line. */
    static String summarize(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("in 'reader'") || l.equals("^") || line.startsWith("    ")) {
                continue;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(l);
        }
        return out.toString();
    }
}
