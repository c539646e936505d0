package dev.letterbox.relay.service;

/**
 * One thing wrong with a configuration file: the key it concerns, where it is, and what to do.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param path    dotted key path, or null when the problem is not about one key (malformed YAML)
 * @param line    1-based line in the file, or 0 when the key is absent from the file
 * @param column  1-based column, or 0 when unknown
 * @param message what is wrong, with the value and the fix; starts with the path when there is one
 */
public record ConfigProblem(String path, int line, int column, String message) {

    /** A problem at a known place in the file. */
    public static ConfigProblem at(String path, int line, int column, String message) {
        return new ConfigProblem(path, line, column, message);
    }

    /** A problem with no place in the file, e.g. a missing key. */
    public static ConfigProblem of(String path, String message) {
        return new ConfigProblem(path, 0, 0, message);
    }

    /** One line for humans: {@code line 7, column 3: message}, or the message alone. */
    public String describe() {
        if (line <= 0) {
            return message;
        }
        return "line " + line + (column > 0 ? ", column " + column : "") + ": " + message;
    }
}
