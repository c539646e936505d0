package dev.letterbox.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        QuickstartOptions options = QuickstartOptions.parse(List.of());

        assertThat(options).isEqualTo(QuickstartOptions.ofDefaults());
        assertThat(options.totalEvents()).isEqualTo(64 * 50);
    }

    @Test
    void argumentsOverrideTheDefaults() {
        QuickstartOptions options = QuickstartOptions.parse(List.of("--orders=8", "--events-per-order=20",
                "--events-per-second=100", "--redeliver=0", "--partitions=2", "--timeout=30s", "--relay-jar=x.jar"));

        assertThat(options).isEqualTo(new QuickstartOptions(8, 20, 100, 0, 2, Duration.ofSeconds(30), Path.of("x.jar")));
    }

    @Test
    void refusesAnUnknownArgumentNamingTheKnownOnes() {
        assertThatThrownBy(() -> QuickstartOptions.parse(List.of("--order=8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown quickstart argument --order")
                .hasMessageContaining("--orders");
    }

    @Test
    void refusesAValueOutOfRangeNamingTheRuleAndTheValue() {
        assertThatThrownBy(() -> QuickstartOptions.parse(List.of("--events-per-order=2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--events-per-order must be between 3 and 1000, was 2");
    }

    @Test
    void refusesANonNumberAndAnArgumentWithoutValue() {
        assertThatThrownBy(() -> QuickstartOptions.parse(List.of("--timeout=soon")))
                .hasMessage("--timeout must be a whole number of seconds, e.g. 90s, was 'soon'");
        assertThatThrownBy(() -> QuickstartOptions.parse(List.of("--orders")))
                .hasMessageContaining("must look like --name=value");
    }
}
