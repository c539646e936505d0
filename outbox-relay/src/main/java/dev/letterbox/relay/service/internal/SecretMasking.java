package dev.letterbox.relay.service.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which configuration values are secrets and hides them wherever configuration is printed
 * or logged.
 *
 * <p>A key is secret when one of the words of its path (split at {@code .}, {@code -}, {@code _})
 * is a password, secret, token, credential(s) or jaas word, when its last word is {@code key}
 * (e.g. {@code ssl.key} but not {@code key.serializer}), or when it is {@code basic.auth.user.info}.
 * Passwords inside JDBC URLs ({@code password=...}) are hidden too. Stateless and thread-safe.
 */
public final class SecretMasking {

    /** What a hidden value is replaced with. */
    public static final String MASK = "******";

    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "secret", "token",
            "credential", "credentials", "jaas", "apikey", "passphrase", "privatekey");
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)((?:password|pwd|passwd)=)[^&;]*");
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^/:@]+:)[^/@]+@");

    private SecretMasking() {
    }

    /** True when the value of {@code path} must never be shown. */
    public static boolean isSecret(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith("basic.auth.user.info") || lower.endsWith("userinfo")) {
            return true;
        }
        String[] words = lower.split("[._\\-]");
        for (String word : words) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return words.length > 0 && words[words.length - 1].equals("key");
    }

    /** The value as it may be shown: {@link #MASK} for a secret key, URL passwords hidden otherwise. */
    public static String mask(String path, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecret(path)) {
            return MASK;
        }
        String masked = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK);
        return URL_USERINFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }
}
