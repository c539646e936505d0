package dev.letterbox.testsupport.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes unique, safe database and topic names from a readable hint, unique across JVMs sharing a server.
 *
 * <p>Thread-safe.
 */
public final class UniqueNames {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One random tag per JVM keeps names from two JVMs on one server apart; the counter keeps names in one JVM apart. */
    private static final String JVM_TAG = randomTag(5);
    private static final AtomicLong COUNTER = new AtomicLong();

    private UniqueNames() {
    }

    /**
     * Returns {@code <sanitized hint>_<jvm tag>_<counter>}, at most {@code maxLength} characters,
     * made only of {@code [a-z0-9_]} and starting with a letter.
     *
     * @param hint readable part; null or blank means {@code "test"}
     * @param maxLength the identifier limit, at least 16
     */
    public static String unique(String hint, int maxLength) {
        String suffix = "_" + JVM_TAG + "_" + COUNTER.incrementAndGet();
        String base = sanitize(hint);
        int room = maxLength - suffix.length();
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        return base + suffix;
    }

    /** Lower-cases {@code hint}, replaces every character outside {@code [a-z0-9_]} with {@code _}, and makes it start with a letter. */
    static String sanitize(String hint) {
        String h = hint == null || hint.isBlank() ? "test" : hint.trim().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(h.length());
        for (char c : h.toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        if (!Character.isLetter(b.charAt(0))) {
            b.insert(0, 't');
        }
        return b.toString();
    }

    /**
     * Returns {@code <hint>.<jvm tag>.<counter>} as a legal Kafka topic name: characters outside
     * {@code [a-zA-Z0-9._-]} become {@code _}, at most 200 characters.
     *
     * @param hint readable part, for example {@code outbox.event.order}; null or blank means {@code "test"}
     */
    public static String uniqueTopic(String hint) {
        String h = hint == null || hint.isBlank() ? "test" : hint.trim();
        StringBuilder b = new StringBuilder(h.length());
        for (char c : h.toCharArray()) {
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            b.append(legal ? c : '_');
        }
        String suffix = "." + JVM_TAG + "." + COUNTER.incrementAndGet();
        String base = b.length() > 200 - suffix.length() ? b.substring(0, 200 - suffix.length()) : b.toString();
        return base + suffix;
    }

    private static String randomTag(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
