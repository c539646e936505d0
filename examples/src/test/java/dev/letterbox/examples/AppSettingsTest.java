package dev.letterbox.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

    private static final Set<String> KNOWN = Set.of("jdbc-url", "count");

    @Test
    void argumentWinsOverEnvironmentVariable() {
        AppSettings settings = AppSettings.parse(List.of("--jdbc-url=jdbc:a"), KNOWN, "ORDERS_",
                Map.of("ORDERS_JDBC_URL", "jdbc:b")::get);

        assertThat(settings.require("jdbc-url")).isEqualTo("jdbc:a");
    }

    @Test
    void environmentVariableIsUsedWhenNoArgumentIsGiven() {
        AppSettings settings = AppSettings.parse(List.of(), KNOWN, "ORDERS_", Map.of("ORDERS_COUNT", "7")::get);

        assertThat(settings.integer("count", 10, 1, 100)).isEqualTo(7);
        assertThat(settings.get("jdbc-url", "none")).isEqualTo("none");
    }

    @Test
    void missingRequiredSettingSaysHowToSetIt() {
        AppSettings settings = AppSettings.parse(List.of(), KNOWN, "ORDERS_", name -> null);

        assertThatThrownBy(() -> settings.require("jdbc-url"))
                .hasMessage("missing setting jdbc-url: pass --jdbc-url=… or set ORDERS_JDBC_URL");
    }

    @Test
    void refusesUnknownArgumentsAndBadNumbers() {
        assertThatThrownBy(() -> AppSettings.parse(List.of("--jdbc=x"), KNOWN, "ORDERS_", name -> null))
                .hasMessageContaining("argument '--jdbc=x' is not one of --count=…, --jdbc-url=…");
        AppSettings settings = AppSettings.parse(List.of("--count=0"), KNOWN, "ORDERS_", name -> null);
        assertThatThrownBy(() -> settings.integer("count", 10, 1, 100)).hasMessage("count must be between 1 and 100, was 0");
    }
}
