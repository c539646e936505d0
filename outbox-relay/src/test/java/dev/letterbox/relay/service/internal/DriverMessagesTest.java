package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.relay.service.ServiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Messages of the JDBC driver and of the Kafka client are shown to operators; they may echo what
 * they were given (issue 11, items 1 and 2).
 */
class DriverMessagesTest {

    private static final ServiceConfig.Database DB = new ServiceConfig.Database(
            "jdbc:mariadb://db:3306/app?user=root&password=url-secret", "root", "pw-secret", null, "outbox_", 2,
            Duration.ofSeconds(1));

    /** Regression: "... is unreachable (Incorrect port value : SECRET@127.0.0.1)" showed the URL's password. */
    @Test
    void hidesTheConfiguredPasswordsInTheDriversMessageAndDropsTheCauseThatHoldsThem() {
        RuntimeException e = Databases.classify(DB, new SQLException("Could not connect: url-secret / pw-secret", "08000"));

        assertThat(e).isInstanceOf(UnreachableException.class).hasNoCause();
        assertThat(e.getMessage()).contains("Could not connect: ****** / ******")
                .doesNotContain("url-secret", "pw-secret");
    }

    @Test
    void keepsTheDriversExceptionAsCauseWhenItHoldsNoSecret() {
        SQLException driver = new SQLException("Connection refused", "08001");

        assertThat(Databases.classify(DB, driver)).isInstanceOf(UnreachableException.class).hasCause(driver);
    }

    /**
     * Regression: a bootstrap host that does not resolve ended {@code run} with exit code 1 and a stack
     * trace ("Failed to create new KafkaAdminClient"); it is an outage to wait for, like a broker down.
     */
    @Test
    void takesABootstrapHostThatDoesNotResolveForAnUnreachableBroker() {
        try (KafkaProbe probe = new KafkaProbe(Map.of("bootstrap.servers", "kafka-not-yet.invalid:9092"))) {
            assertThatThrownBy(() -> probe.probe(Duration.ofSeconds(1)))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("Kafka at kafka-not-yet.invalid:9092 is unreachable (no address in"
                            + " kafka.bootstrap-servers resolves yet)");
        }
    }

    /** A JAAS configuration the client refuses is a configuration error; its password never shows. */
    @Test
    void refusesSettingsTheKafkaClientRefusesWithoutShowingTheirSecrets() {
        Map<String, Object> props = Map.of("bootstrap.servers", "127.0.0.1:1", "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"jaas-secret\" x");
        try (KafkaProbe probe = new KafkaProbe(props)) {
            assertThatThrownBy(() -> probe.probe(Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(FatalStartupException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
                        assertThat(e.getMessage()).contains("the Kafka client refuses the settings").doesNotContain("jaas-secret");
                        assertThat(e).hasNoCause();
                    });
        }
    }
}
