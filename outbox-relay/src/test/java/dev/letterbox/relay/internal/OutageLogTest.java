package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression (issue 11, item 14): during a database outage the cause hid behind HikariCP's "Connection
 * is not available"; the outage log now names the root cause once, and sums the outage up at its end.
 */
class OutageLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test-" + System.nanoTime());
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    OutageLogTest() {
        // its own level: other tests in this JVM set the root logger to WARN (Main.run's tool logging)
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(events);
    }

    private static Object field(ILoggingEvent e, String key) {
        return e.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> kv.value).findFirst()
                .orElse(null);
    }

    @Test
    void logsTheRootCauseOnceWhenTheOutageStartsAndASummaryWhenItEnds() {
        OutageLog outage = new OutageLog(logger, "database (poller 0)");
        Exception pool = new SQLTransientConnectionException("outbox-relay - Connection is not available, request timed"
                + " out after 5000ms", "08001", new java.sql.SQLException("Connection to 127.0.0.1:5432 refused",
                new ConnectException("Connection refused")));

        outage.failed(pool, Duration.ofSeconds(1));
        outage.failed(pool, Duration.ofSeconds(2));
        outage.failed(pool, Duration.ofSeconds(4));
        outage.succeeded();

        List<ILoggingEvent> logged = events.list;
        assertThat(logged).extracting(ILoggingEvent::getMessage)
                .containsExactly("dependency unreachable", "dependency reachable again");
        assertThat(field(logged.get(0), "cause")).isEqualTo("ConnectException: Connection refused");
        assertThat(field(logged.get(0), "component")).isEqualTo("database (poller 0)");
        assertThat(field(logged.get(1), "failed_attempts")).isEqualTo(3L);
        assertThat(field(logged.get(1), "outage_ms")).isNotNull();
    }
}
