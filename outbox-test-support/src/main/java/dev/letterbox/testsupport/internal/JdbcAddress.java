package dev.letterbox.testsupport.internal;

import dev.letterbox.testsupport.DatabaseKind;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed single-host JDBC URL: product, host, port, database, credentials and other parameters.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind the product, from the URL scheme
 * @param host host name or address (IPv6 literals keep their brackets)
 * @param port TCP port (the product's default when the URL has none)
 * @param database database name, never empty
 * @param username user name, never null
 * @param password password, empty when none, never null
 * @param parameters URL parameters other than {@code user} and {@code password}, in order
 */
public record JdbcAddress(DatabaseKind kind, String host, int port, String database, String username,
                          String password, Map<String, String> parameters) {

    private static final Pattern URL = Pattern.compile(
            "^jdbc:(postgresql|mariadb|mysql)://(\\[[^]]+]|[^/:?,\\[]+)(?::(\\d+))?(?:/([^?]*))?(?:\\?(.*))?$");

    /** Checks the components and copies the parameters. */
    public JdbcAddress {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        parameters = Map.copyOf(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses {@code url}, taking credentials from the URL's {@code user}/{@code password}
     * parameters unless {@code username}/{@code password} are given.
     *
     * @param source where the URL came from, named in error messages (an environment variable)
     * @param url a URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
     * @param username user name overriding the URL's, or null
     * @param password password overriding the URL's, or null
     * @param defaultUser user name when neither the URL nor {@code username} has one
     * @throws IllegalArgumentException naming {@code source}, the rule and the value when the URL is not of that form
     */
    public static JdbcAddress parse(String source, String url, String username, String password,
                                    String defaultUser) {
        Matcher m = URL.matcher(url == null ? "" : url.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(source + " must be a single-host JDBC URL of the form "
                    + "jdbc:postgresql://host:port/database?user=..&password=.. or jdbc:mariadb://host:port/database?user=.., "
                    + "was '" + url + "'; fix the variable or unset it to use a server started for the tests");
        }
        DatabaseKind kind = m.group(1).equals("postgresql") ? DatabaseKind.POSTGRES : DatabaseKind.MARIADB;
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : kind == DatabaseKind.POSTGRES ? 5432 : 3306;
        String database = m.group(4) == null || m.group(4).isEmpty()
                ? (kind == DatabaseKind.POSTGRES ? "postgres" : "mysql") : decode(m.group(4));
        Map<String, String> parameters = new LinkedHashMap<>();
        if (m.group(5) != null) {
            for (String pair : m.group(5).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                parameters.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        String urlUser = parameters.remove("user");
        String urlPassword = parameters.remove("password");
        String user = username != null && !username.isEmpty() ? username : urlUser != null ? urlUser : defaultUser;
        String pass = password != null ? password : urlPassword;
        return new JdbcAddress(kind, m.group(2), port, database, user, pass, parameters);
    }

    /** Returns this address with another database name. */
    public JdbcAddress withDatabase(String otherDatabase) {
        return new JdbcAddress(kind, host, port, otherDatabase, username, password, parameters);
    }

    /** Returns the JDBC URL without credentials. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:")
                .append(kind == DatabaseKind.POSTGRES ? "postgresql" : "mariadb")
                .append("://").append(host).append(':').append(port).append('/').append(database);
        char separator = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            url.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    @Override
    public String toString() {
        return jdbcUrl() + " (user " + username + ")";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
