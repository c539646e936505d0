package dev.letterbox.relay.service.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which configuration values are secrets and hides them wherever configuration is printed
 * or logged.
 *
 * <p>A key is secret when one of the words of its path (split at {@code .}, {@code -}, {@code _})
 * is a password, secret, token, credential(s) or jaas word, when its last word is {@code key}
 * (e.g. {@code ssl.key} but not {@code key.serializer}), or when it is {@code basic.auth.user.info}.
 * Passwords inside JDBC URLs ({@code password=...}, {@code user:password@}) are hidden too, and
 * {@link #scrub} hides known secret values inside messages of drivers and clients, which may echo
 * them. Stateless and thread-safe.
 */
public final class SecretMasking {

    /** What a hidden value is replaced with. */
    public static final String MASK = "******";

    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "secret", "token",
            "credential", "credentials", "jaas", "apikey", "passphrase", "privatekey");
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)((?:password|pwd|passwd)=)[^&;]*");
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^/:@]+:)[^/@]+@");
    private static final Pattern URL_PASSWORD_VALUE = Pattern.compile("(?i)(?:password|pwd|passwd)=([^&;]*)");
    private static final Pattern URL_USERINFO_VALUE = Pattern.compile("://[^/:@]+:([^/@]+)@");
    private static final Pattern QUOTED_VALUE = Pattern.compile("=\\s*\"([^\"]*)\"");

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

    /**
     * The secret parts of a JDBC URL: the password of {@code user:password@} and the values of
     * {@code password=} parameters.
     */
    public static Set<String> urlSecrets(String url) {
        Set<String> out = new LinkedHashSet<>();
        if (url != null) {
            addGroups(URL_USERINFO_VALUE.matcher(url), out);
            addGroups(URL_PASSWORD_VALUE.matcher(url), out);
        }
        return out;
    }

    /**
     * The secret parts of the value of a secret key: the whole value, and for a JAAS configuration
     * ({@code ... password="x";}) each quoted value, which Kafka's messages may quote alone.
     */
    public static Set<String> valueSecrets(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value != null && !value.isBlank()) {
            out.add(value);
            addGroups(QUOTED_VALUE.matcher(value), out);
        }
        return out;
    }

    private static void addGroups(Matcher m, Set<String> out) {
        while (m.find()) {
            if (!m.group(1).isBlank()) {
                out.add(m.group(1));
            }
        }
    }

    /**
     * {@code text} (a driver's or client's message) with every occurrence of the given secret values
     * replaced by {@link #MASK}, longest first so that a secret containing another is hidden whole.
     */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets.stream().filter(s -> s != null && !s.isBlank())
                .sorted((a, b) -> b.length() - a.length()).toList()) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
