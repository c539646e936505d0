package dev.letterbox.relay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.PollingConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The steady-rate harness's modes argument, on builds with and without {@code relay.polling.mode}. */
class PollingModesTest {

    private static final PollingConfig BASE = PollingConfig.builder().batchSize(123).workers(3)
            .idleBackoffMin(Duration.ofMillis(2)).idleBackoffMax(Duration.ofMillis(250)).build();

    @Test
    void markRunsWithTheGivenPollingSettings() {
        PollingModes.Choice c = PollingModes.of("mark", BASE);

        assertThat(c.runnable()).as(c.note()).isTrue();
        assertThat(c.polling().batchSize()).isEqualTo(123);
        assertThat(c.polling().workers()).isEqualTo(3);
        assertThat(c.polling().idleBackoffMin()).isEqualTo(Duration.ofMillis(2));
        assertThat(c.polling().idleBackoffMax()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesAModeNoBuildKnowsAndSaysWhy() {
        PollingModes.Choice c = PollingModes.of("sideways", BASE);

        assertThat(c.runnable()).isFalse();
        assertThat(c.note()).startsWith("skipped: ").contains("relay.polling.mode").contains("sideways");
    }

    @Test
    void logModeRunsExactlyWhenThisBuildKnowsTheKey() {
        PollingModes.Choice c = PollingModes.of("log", BASE);

        if (c.runnable()) {
            assertThat(c.note()).isEqualTo("relay.polling.mode=log");
            assertThat(c.polling().toString()).contains("log");
            assertThat(c.polling().batchSize()).isEqualTo(123);
        } else {
            assertThat(c.note()).contains("this build has no relay.polling.mode");
        }
    }

    @Test
    void aVariantOverridesPollingKeysOfItsMode() {
        PollingModes.Choice c = PollingModes.of("log+read-interval=5ms+workers=1", BASE);

        assertThat(c.runnable()).as(c.note()).isTrue();
        assertThat(c.polling().mode()).isEqualTo("log");
        assertThat(c.polling().readInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.polling().workers()).isEqualTo(1);
        assertThat(c.polling().batchSize()).isEqualTo(123);
        assertThat(c.note()).isEqualTo("relay.polling.mode=log, relay.polling.read-interval=5ms, relay.polling.workers=1");
    }

    @Test
    void aVariantWithAnUnknownKeyIsSkippedWithTheRelaysReason() {
        PollingModes.Choice c = PollingModes.of("log+sideways=1", BASE);

        assertThat(c.runnable()).isFalse();
        assertThat(c.note()).startsWith("skipped: ").contains("sideways");
    }
}
