package dev.letterbox.debezium.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CDC-only meters; the meters shared with polling (published, failed, parked, batch size,
 * commit-to-ack) are recorded into the relay's {@link dev.letterbox.relay.RelayMetrics}.
 *
 * <ul>
 *   <li>{@code outbox.cdc.slot.lag} (bytes): WAL the replication slot retains beyond its confirmed
 *       position; {@code NaN} when unknown (MariaDB, slot missing, database unreachable)</li>
 *   <li>{@code outbox.cdc.source.to.ack}: from the commit time the log records to Kafka's ack</li>
 *   <li>{@code outbox.cdc.active}: 1 while this instance holds the {@code cdc} lease and streams</li>
 *   <li>{@code outbox.cdc.invalid}: rows or messages that were not valid events (logged with their log position, not published)</li>
 *   <li>{@code outbox.cdc.marks.unmatched}: rows of published events that the marks did not find
 *       within the wait (not visible, gone, fenced); logged at ERROR, the offsets then passed them</li>
 * </ul>
 * Thread-safe.
 */
final class CdcMetrics implements MeterBinder {

    private final Tags tags;
    private final AtomicReference<Double> slotLag = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> active = new AtomicReference<>(0.0);
    private volatile Timer sourceToAck;
    private volatile Counter invalid;
    private volatile Counter unmatchedMarks;

    CdcMetrics(String instanceId) {
        this.tags = Tags.of("instance", instanceId, "strategy", "cdc");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("outbox.cdc.slot.lag", slotLag, AtomicReference::get).tags(tags).baseUnit("bytes")
                .description("WAL retained by the replication slot beyond its confirmed position").register(registry);
        Gauge.builder("outbox.cdc.active", active, AtomicReference::get).tags(tags)
                .description("1 while this instance holds the cdc lease and streams").register(registry);
        sourceToAck = Timer.builder("outbox.cdc.source.to.ack").tags(tags).publishPercentileHistogram()
                .description("Time from the source commit (as the log records it) to Kafka's ack").register(registry);
        invalid = Counter.builder("outbox.cdc.invalid").tags(tags)
                .description("Rows or messages that were not valid outbox events").register(registry);
        unmatchedMarks = Counter.builder("outbox.cdc.marks.unmatched").tags(tags)
                .description("Rows of published events the marks did not find in time; the offsets passed them")
                .register(registry);
    }

    void slotLag(double bytes) {
        slotLag.set(bytes);
    }

    double slotLag() {
        return slotLag.get();
    }

    void active(boolean streaming) {
        active.set(streaming ? 1.0 : 0.0);
    }

    void sourceToAck(Duration lag) {
        Timer t = sourceToAck;
        if (t != null) {
            t.record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    void unmatchedMarks(int rows) {
        Counter c = unmatchedMarks;
        if (c != null) {
            c.increment(rows);
        }
    }

    void invalid() {
        Counter c = invalid;
        if (c != null) {
            c.increment();
        }
    }
}
