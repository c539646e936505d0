package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values that {@code config check} used to accept though they would surely fail later (issue 11,
 * items 1 and 4): a URL no driver can read, a URL of an unsupported database, a bind address that
 * does not resolve.
 */
class ConfigRefusalsTest {

    private static final String FILE = """
            database:
              url: %s
            kafka:
              bootstrap-servers: kafka:9092
            """;

    private static ServiceConfig parse(String url) {
        return ServiceConfig.parse("relay.yaml", FILE.formatted(url), Map.of());
    }

    /**
     * Regression: {@code jdbc:mariadb://root:SECRET@...} reached the driver, whose "Incorrect port
     * value : SECRET@127.0.0.1" was reported as "unreachable" (exit code 7), secret included.
     */
    @Test
    void refusesAUrlTheDriverCannotReadWithoutShowingItsPassword() {
        assertThatThrownBy(() -> parse("jdbc:mariadb://root:SECRET@127.0.0.1:3306/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2, column 3: database.url is not a URL the JDBC driver can read")
                .hasMessageContaining("database.username and database.password")
                .hasMessageNotContaining("SECRET");
    }

    /** Regression: a {@code postgres://} or {@code jdbc:oracle:} URL passed {@code config check}. */
    @ParameterizedTest
    @ValueSource(strings = {"postgres://app:SECRET@db:5432/app", "jdbc:oracle:thin:@db:1521/app",
            "jdbc:sqlserver://db;password=SECRET"})
    void refusesUrlsOfUnsupportedFormsNamingWhatToWrite(String url) {
        assertThatThrownBy(() -> parse(url))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url must be a JDBC URL")
                .hasMessageContaining("jdbc:postgresql://host:5432/db")
                .hasMessageNotContaining("SECRET");
    }

    /** Regression: {@code jdbc:mysql:} URLs were refused with "no JDBC driver accepts the URL". */
    @Test
    void acceptsMysqlUrlsForTheMariaDbDriver() {
        assertThat(parse("jdbc:mysql://db:3306/app").database().url())
                .isEqualTo("jdbc:mysql://db:3306/app?permitMysqlScheme");
        assertThat(parse("jdbc:mysql://db:3306/app?useSsl=true").database().url())
                .isEqualTo("jdbc:mysql://db:3306/app?useSsl=true&permitMysqlScheme");
    }

    @Test
    void acceptsTheSupportedUrls() {
        assertThat(parse("jdbc:postgresql://db:5432/app?user=a&password=b").database().url()).startsWith("jdbc:postgresql:");
        assertThat(parse("jdbc:mariadb://db:3306/app").database().url()).isEqualTo("jdbc:mariadb://db:3306/app");
        assertThat(parse("jdbc:h2:mem:x").database().url()).isEqualTo("jdbc:h2:mem:x");
    }

    /** Regression: an {@code admin.bind-address} that does not resolve passed {@code config check}, then run exited 1. */
    @Test
    void refusesABindAddressThatDoesNotResolve() {
        assertThatThrownBy(() -> ServiceConfig.parse("relay.yaml", FILE.formatted("jdbc:h2:mem:x")
                + "admin:\n  bind-address: no-such-host.invalid\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 6, column 3: admin.bind-address must be an address of this machine")
                .hasMessageContaining("was 'no-such-host.invalid'");
    }

    /** Driver and client messages may echo a secret: the service hides every configured one in them. */
    @Test
    void scrubsEverySecretOfTheConfigurationFromMessages() {
        ServiceConfig c = ServiceConfig.parse("relay.yaml", """
                database:
                  url: jdbc:postgresql://db:5432/app?password=url-pw
                  password: db-pw
                kafka:
                  bootstrap-servers: kafka:9092
                  producer:
                    sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="jaas-pw";
                    ssl.keystore.password: ks-pw
                admin:
                  token: admin-tok
                """, Map.of());

        String scrubbed = c.scrub("a url-pw b db-pw c jaas-pw d ks-pw e admin-tok f");

        assertThat(scrubbed).isEqualTo("a ****** b ****** c ****** d ****** e ****** f");
    }
}
