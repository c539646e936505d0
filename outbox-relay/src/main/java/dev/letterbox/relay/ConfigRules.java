package dev.letterbox.relay;

import java.time.Duration;

/** Validation rules shared by the configuration records; messages name the key, the rule and the value. */
final class ConfigRules {

    private ConfigRules() {
    }

    static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static double between(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static Duration between(String key, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is required (a duration such as 10s)");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(key + " must be between " + text(min) + " and " + text(max)
                    + ", was " + text(value));
        }
        return value;
    }

    static void notAfter(String key, Duration value, String otherKey, Duration other) {
        if (value.compareTo(other) > 0) {
            throw new IllegalArgumentException(key + " must not be longer than " + otherKey + " (" + text(other)
                    + "), was " + text(value));
        }
    }

    static String notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required and must not be blank, was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    static <T> T required(String key, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is required, was null");
        }
        return value;
    }

    static String text(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
