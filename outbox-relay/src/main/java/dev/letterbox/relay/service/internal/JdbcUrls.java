package dev.letterbox.relay.service.internal;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * Checks {@code database.url} when the file is loaded, without connecting: a URL no driver in the
 * jar accepts or can parse is a configuration error (exit code 3, refused by {@code config check}
 * too), never "the database is unreachable".
 *
 * <p>Regression: {@code jdbc:mariadb://root:SECRET@127.0.0.1:3306/x} reached the driver, whose
 * "Incorrect port value : SECRET@127.0.0.1" was shown as an outage, secret included.
 *
 * <p>Stateless and thread-safe.
 */
final class JdbcUrls {

    /** What a MySQL URL needs for the MariaDB driver to serve it. */
    static final String MYSQL_SCHEME_OPTION = "permitMysqlScheme";
    private static final String SUPPORTED = "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db,"
            + " jdbc:mysql://host:3306/db or jdbc:h2:...";

    private JdbcUrls() {
    }

    /**
     * Returns {@code url} as the driver gets it ({@code jdbc:mysql:} URLs with
     * {@value #MYSQL_SCHEME_OPTION}, which lets the MariaDB driver serve them).
     *
     * @throws IllegalArgumentException with the rule and the masked URL when no driver accepts or parses it
     */
    static String check(String url) {
        String u = url.trim();
        String shown = SecretMasking.mask("database.url", u);
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:mysql:") && !lower.contains(MYSQL_SCHEME_OPTION.toLowerCase(Locale.ROOT))) {
            u = u + (u.contains("?") ? "&" : "?") + MYSQL_SCHEME_OPTION;
            lower = u.toLowerCase(Locale.ROOT);
        }
        if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
            throw new IllegalArgumentException("must be a JDBC URL: write jdbc:postgresql://host:5432/db (user and"
                    + " password in database.username and database.password), was '" + shown + "'");
        }
        if (!(lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:mariadb:")
                || lower.startsWith("jdbc:mysql:") || lower.startsWith("jdbc:h2:"))) {
            throw new IllegalArgumentException("must be a JDBC URL of a supported database (PostgreSQL, MariaDB,"
                    + " MySQL, H2) such as " + SUPPORTED + ", was '" + shown + "'");
        }
        Driver driver;
        try {
            driver = DriverManager.getDriver(u);
            driver.getPropertyInfo(u, new Properties());
        } catch (SQLException e) {
            throw new IllegalArgumentException("is not a URL the JDBC driver can read (" + scrubbed(e, u) + "): write"
                    + " it as " + SUPPORTED + ", with the user and password in database.username and"
                    + " database.password, was '" + shown + "'", e);
        }
        return u;
    }

    /** The driver's message with every part of the URL that may hold a secret hidden. */
    private static String scrubbed(SQLException e, String url) {
        String message = Databases.firstLine(e);
        return SecretMasking.scrub(message, SecretMasking.urlSecrets(url));
    }
}
