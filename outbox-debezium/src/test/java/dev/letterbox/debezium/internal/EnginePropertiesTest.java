package dev.letterbox.debezium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.debezium.CdcConfigException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnginePropertiesTest {

    private static Properties flushInterval(String value) {
        Properties p = new Properties();
        p.setProperty("offset.flush.interval.ms", value);
        return p;
    }

    @Test
    void commitPolicyReadsTheOffsetFlushInterval() {
        assertThat(EngineProperties.offsetFlushInterval(flushInterval("1000"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(EngineProperties.offsetFlushInterval(flushInterval("0"))).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesAnOffsetFlushIntervalThatIsNotWholeMilliseconds() {
        assertThatThrownBy(() -> EngineProperties.offsetFlushInterval(flushInterval("1s")))
                .isInstanceOf(CdcConfigException.class)
                .hasMessage("debezium.offset.flush.interval.ms must be a whole number of milliseconds, 0 or more"
                        + " (e.g. 1000), was '1s'");
        assertThatThrownBy(() -> EngineProperties.offsetFlushInterval(flushInterval("-5")))
                .isInstanceOf(CdcConfigException.class);
    }
}
