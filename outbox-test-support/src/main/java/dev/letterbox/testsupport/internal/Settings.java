package dev.letterbox.testsupport.internal;

import java.util.Optional;

/** Reads the test-server settings: a system property wins over the environment variable of the same name. */
public final class Settings {

    private Settings() {
    }

    /** Returns the non-blank value of {@code name} as a system property or environment variable. */
    public static Optional<String> get(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Returns whether {@code name} is set to {@code true} (case-insensitive). */
    public static boolean isTrue(String name) {
        return get(name).map(Boolean::parseBoolean).orElse(false);
    }
}
