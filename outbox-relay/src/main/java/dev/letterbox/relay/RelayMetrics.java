package dev.letterbox.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay's meters, named under {@code outbox.} and tagged {@code instance} and {@code strategy};
 * every strategy records into the same object so names and meanings match.
 *
 * <ul>
 *   <li>{@code outbox.events.published} (counter): events acknowledged by Kafka and marked</li>
 *   <li>{@code outbox.events.failed} (counter, tag {@code kind=retriable|permanent}): failed sends</li>
 *   <li>{@code outbox.events.parked} (counter): events parked after permanent errors</li>
 *   <li>{@code outbox.batch.size} (summary, events): events per claimed batch</li>
 *   <li>{@code outbox.commit.to.ack} (timer): from the event's {@code created_at} to Kafka's ack</li>
 *   <li>{@code outbox.backlog} (gauge, events): PENDING events (exact up to 100,000, above that the span
 *       of their sequence numbers, an upper bound); {@code NaN} when the database cannot be read</li>
 *   <li>{@code outbox.oldest.unpublished.age} (gauge, seconds): age of the oldest PENDING event, 0 when
 *       none, {@code NaN} when the database cannot be read</li>
 *   <li>{@code outbox.shards.owned} (gauge): shard leases this instance holds</li>
 *   <li>{@code outbox.circuit.state} (gauge): 0 closed, 1 half-open, 2 open</li>
 *   <li>{@code outbox.cleanup.deleted} (counter, tag {@code table=event|inbox}): rows deleted by cleanup</li>
 * </ul>
 *
 * <p>Thread-safe. Recording before {@link #bindTo} is a no-op.
 */
public final class RelayMetrics implements MeterBinder {

    private final Tags tags;
    private volatile Bound bound;
    private volatile double backlog = Double.NaN;
    private volatile double oldestAgeSeconds = Double.NaN;
    private volatile double shardsOwned;
    private volatile java.util.function.DoubleSupplier horizonAgeSeconds = () -> Double.NaN;
    private final java.util.concurrent.atomic.LongAdder publishedCount = new java.util.concurrent.atomic.LongAdder();
    private final AtomicReference<CircuitState> circuit = new AtomicReference<>(CircuitState.CLOSED);

    private RelayMetrics(String instanceId, String strategy) {
        this.tags = Tags.of("instance", instanceId, "strategy", strategy);
    }

    /** Creates unbound metrics for one relay instance and strategy; call {@link #bindTo} to publish them. */
    public static RelayMetrics create(String instanceId, String strategy) {
        return new RelayMetrics(instanceId, strategy);
    }

    private record Bound(Counter published, Counter failedRetriable, Counter failedPermanent, Counter parked,
                         DistributionSummary batchSize, Timer commitToAck, Counter deletedEvents,
                         Counter deletedInbox) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Bound b = new Bound(
                Counter.builder("outbox.events.published").description("Events acknowledged by Kafka and marked published")
                        .baseUnit("events").tags(tags).register(registry),
                Counter.builder("outbox.events.failed").description("Failed sends").baseUnit("events").tags(tags)
                        .tag("kind", "retriable").register(registry),
                Counter.builder("outbox.events.failed").description("Failed sends").baseUnit("events").tags(tags)
                        .tag("kind", "permanent").register(registry),
                Counter.builder("outbox.events.parked").description("Events parked after permanent errors")
                        .baseUnit("events").tags(tags).register(registry),
                DistributionSummary.builder("outbox.batch.size").description("Events per claimed batch")
                        .baseUnit("events").tags(tags).register(registry),
                Timer.builder("outbox.commit.to.ack").description("From the event's created_at to Kafka's ack")
                        .publishPercentiles(0.5, 0.99).tags(tags).register(registry),
                Counter.builder("outbox.cleanup.deleted").description("Rows deleted by cleanup").baseUnit("rows")
                        .tags(tags).tag("table", "event").register(registry),
                Counter.builder("outbox.cleanup.deleted").description("Rows deleted by cleanup").baseUnit("rows")
                        .tags(tags).tag("table", "inbox").register(registry));
        Gauge.builder("outbox.backlog", this, m -> m.backlog).description("PENDING events; NaN when unreadable")
                .baseUnit("events").tags(tags).register(registry);
        Gauge.builder("outbox.oldest.unpublished.age", this, m -> m.oldestAgeSeconds)
                .description("Age of the oldest PENDING event; NaN when unreadable").baseUnit("seconds").tags(tags)
                .register(registry);
        Gauge.builder("outbox.horizon.age", this, m -> m.horizonAgeSeconds.getAsDouble())
                .description("Log mode: how long the oldest drawn sequence value has waited for its transaction to end;"
                        + " NaN in mark mode").baseUnit("seconds").tags(tags).register(registry);
        Gauge.builder("outbox.shards.owned", this, m -> m.shardsOwned).description("Shard leases held")
                .tags(tags).register(registry);
        Gauge.builder("outbox.circuit.state", this, m -> m.circuit.get().gaugeValue())
                .description("Broker circuit breaker: 0 closed, 1 half-open, 2 open").tags(tags).register(registry);
        bound = b;
    }

    /** Counts events acknowledged and marked published. */
    public void published(int count) {
        if (count > 0) {
            publishedCount.add(count);
        }
        Bound b = bound;
        if (b != null && count > 0) {
            b.published.increment(count);
        }
    }

    /** Counts one failed send, by whether its error was retriable. */
    public void failed(boolean retriable) {
        Bound b = bound;
        if (b != null) {
            (retriable ? b.failedRetriable : b.failedPermanent).increment();
        }
    }

    /** Counts parked events. */
    public void parked(int count) {
        Bound b = bound;
        if (b != null && count > 0) {
            b.parked.increment(count);
        }
    }

    /** Records the size of one claimed batch. */
    public void batchSize(int size) {
        Bound b = bound;
        if (b != null) {
            b.batchSize.record(size);
        }
    }

    /** Records one event's time from commit ({@code created_at}) to ack; negative values (clock skew) count as 0. */
    public void commitToAck(Duration latency) {
        Bound b = bound;
        if (b != null) {
            b.commitToAck.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** Counts rows deleted by cleanup from the event table ({@code inbox=false}) or the inbox. */
    public void cleanupDeleted(boolean inbox, long rows) {
        Bound b = bound;
        if (b != null && rows > 0) {
            (inbox ? b.deletedInbox : b.deletedEvents).increment(rows);
        }
    }

    /** Sets the backlog gauge; pass {@code NaN} when the database could not be read. */
    public void backlog(double events) {
        this.backlog = events;
    }

    /** Sets the oldest-unpublished-age gauge in seconds; pass {@code NaN} when the database could not be read. */
    public void oldestUnpublishedAge(double seconds) {
        this.oldestAgeSeconds = seconds;
    }

    /** Events counted by {@link #published} since this object was created, bound or not. */
    public long publishedCount() {
        return publishedCount.sum();
    }

    /** The last backlog reading in events, {@code NaN} when unknown. */
    public double backlog() {
        return backlog;
    }

    /** The last oldest-unpublished age in seconds, {@code NaN} when unknown. */
    public double oldestUnpublishedAge() {
        return oldestAgeSeconds;
    }

    /**
     * Sets where the {@code outbox.horizon.age} gauge reads log mode's horizon age in seconds (the
     * polling strategy in log mode); it reads {@code NaN} until then.
     */
    public void horizonAge(java.util.function.DoubleSupplier seconds) {
        this.horizonAgeSeconds = seconds;
    }

    /** Sets the number of shard leases held. */
    public void shardsOwned(int shards) {
        this.shardsOwned = shards;
    }

    /** Sets the circuit breaker state. */
    public void circuitState(CircuitState state) {
        circuit.set(state);
    }

    /** The last circuit breaker state recorded. */
    public CircuitState circuitState() {
        return circuit.get();
    }
}
