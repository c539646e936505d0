package dev.letterbox.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** Regression: ./quickstart always passes "quickstart" first, and --help was refused as not --name=value. */
    @Test
    void helpPrintsEveryOptionWithItsDefaultAndExitsZeroWithoutStartingAnything() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int code = Quickstart.run(List.of("--help"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String usage = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(usage).isEqualTo(QuickstartOptions.usage()).startsWith("usage: ./quickstart")
                .containsPattern("--orders=N\\s+orders \\(aggregates\\), 1..10000; default 64")
                .containsPattern("--events-per-order=N\\s+.*3..1000; default 50")
                .containsPattern("--events-per-second=N\\s+.*; default 800")
                .containsPattern("--redeliver=N\\s+.*; default 200")
                .containsPattern("--partitions=N\\s+.*1..64; default 8")
                .containsPattern("--timeout=SECONDS\\s+.*; default 90s")
                .containsPattern("--relay-jar=PATH\\s+.*; default outbox-relay.target.outbox-relay.jar")
                .contains("-h, --help")
                .doesNotContain("Letterbox quickstart:");
        assertThat(QuickstartOptions.helpRequested(List.of("--orders=8", "-h"))).isTrue();
        assertThat(QuickstartOptions.helpRequested(List.of("--orders=8"))).isFalse();
    }
}
