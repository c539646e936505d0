package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskingTest {

    @ParameterizedTest
    @ValueSource(strings = {"database.password", "admin.token", "kafka.producer.sasl.jaas.config",
            "kafka.producer.ssl.key.password", "kafka.producer.ssl.keystore.key", "debezium.database.password",
            "kafka.producer.basic.auth.user.info", "aws.secret-access", "gcp_credentials", "x.api-key"})
    void treatsKeysNamedLikeSecretsAsSecret(String path) {
        assertThat(SecretMasking.isSecret(path)).isTrue();
        assertThat(SecretMasking.mask(path, "value")).isEqualTo(SecretMasking.MASK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka.producer.key.serializer", "database.url", "kafka.topic-template",
            "relay.instance-id", "kafka.producer.ssl.keystore.location"})
    void showsOrdinaryKeys(String path) {
        assertThat(SecretMasking.isSecret(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://db/app?user=a&password=hunter2",
            "jdbc:mariadb://db/app?password=hunter2&user=a", "jdbc:postgresql://a:hunter2@db/app"})
    void hidesPasswordsInsideUrls(String url) {
        assertThat(SecretMasking.mask("database.url", url)).doesNotContain("hunter2").contains(SecretMasking.MASK);
    }
}
