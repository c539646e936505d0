package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Regression (issue 11, item 15): 50,000 events were published without one log line. */
class ProgressLogTest {

    private static final long SECOND = 1_000_000_000L;

    private final Logger logger = (Logger) LoggerFactory.getLogger("progress-log-test-" + System.nanoTime());
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final AtomicLong clock = new AtomicLong();
    private final ProgressLog progress = new ProgressLog(logger, clock::get);

    ProgressLogTest() {
        // its own level: other tests in this JVM set the root logger to WARN (Main.run's tool logging)
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        events.start();
        logger.addAppender(events);
    }

    @Test
    void logsOneProgressLinePerThirtySecondsWhileTheBacklogDrainsAndOneWhenItIsEmpty() {

        progress.sample(50_000, 120, 0);
        for (int s = 1; s <= 60; s++) {          // one sample a second, 500 events a second
            clock.set(s * SECOND);
            progress.sample(50_000 - 500 * s, 120, 500L * s);
        }
        clock.set(100 * SECOND);
        progress.sample(0, 0, 50_000);
        progress.sample(0, 0, 50_000);

        assertThat(events.list).extracting(ILoggingEvent::getMessage)
                .containsExactly("backlog draining", "backlog draining", "backlog drained");
        assertThat(events.list.get(0).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("events_per_s");
            assertThat(kv.value).isEqualTo(500L);
        });
        assertThat(events.list.get(2).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("published");
            assertThat(kv.value).isEqualTo(50_000L);
        });
    }

    @Test
    void staysSilentWhenNothingIsPublishedOrTheDatabaseCannotBeRead() {

        for (int s = 0; s <= 120; s++) {
            clock.set(s * SECOND);
            progress.sample(s % 2 == 0 ? 10 : Double.NaN, 5, 0);
        }

        assertThat(events.list).isEmpty();
    }
}
