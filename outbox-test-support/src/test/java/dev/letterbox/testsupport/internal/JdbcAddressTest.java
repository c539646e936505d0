package dev.letterbox.testsupport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.testsupport.DatabaseKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcAddressTest {

    @Test
    void takesCredentialsOutOfTheUrlAndKeepsOtherParameters() {
        JdbcAddress a = JdbcAddress.parse("ENV", "jdbc:postgresql://db.local:6543/test?user=alice&password=s%26cret&sslmode=disable",
                null, null, "postgres");
        assertThat(a.kind()).isEqualTo(DatabaseKind.POSTGRES);
        assertThat(a.host()).isEqualTo("db.local");
        assertThat(a.port()).isEqualTo(6543);
        assertThat(a.database()).isEqualTo("test");
        assertThat(a.username()).isEqualTo("alice");
        assertThat(a.password()).isEqualTo("s&cret");
        assertThat(a.parameters()).isEqualTo(Map.of("sslmode", "disable"));
        assertThat(a.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/other?sslmode=disable");
    }

    @Test
    void usesExplicitCredentialsAndDefaultPortAndUser() {
        JdbcAddress a = JdbcAddress.parse("ENV", "jdbc:mariadb://127.0.0.1/test", null, null, "root");
        assertThat(a.kind()).isEqualTo(DatabaseKind.MARIADB);
        assertThat(a.port()).isEqualTo(3306);
        assertThat(a.username()).isEqualTo("root");
        assertThat(a.password()).isEmpty();
        JdbcAddress b = JdbcAddress.parse("ENV", "jdbc:mysql://h:3307/x?user=u", "bob", "pw", "root");
        assertThat(b.username()).isEqualTo("bob");
        assertThat(b.password()).isEqualTo("pw");
        assertThat(b.jdbcUrl()).isEqualTo("jdbc:mariadb://h:3307/x");
    }

    @Test
    void rejectsAnUrlItCannotParseNamingTheSourceAndValue() {
        assertThatThrownBy(() -> JdbcAddress.parse("OUTBOX_TEST_POSTGRES_URL", "postgres://h/db", null, null, "postgres"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OUTBOX_TEST_POSTGRES_URL")
                .hasMessageContaining("'postgres://h/db'")
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }
}
