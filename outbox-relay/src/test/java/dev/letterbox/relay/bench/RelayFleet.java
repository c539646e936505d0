package dev.letterbox.relay.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.letterbox.relay.KafkaConfig;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} real {@link Relay} instances in this JVM, each with its own instance id, connection pool
 * and producer (as separate processes would have; the producer is built here from the relay's own
 * {@code kafka.*} settings and injected, so its {@code flush()} can be timed), sharing one timed view
 * of their statements.
 * Not thread-safe; {@link #close()} stops every relay and pool.
 */
final class RelayFleet implements AutoCloseable {

    final StatementTimer timer = new StatementTimer();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Relay> relays = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<Producer<byte[], byte[]>> producers = new ArrayList<>();
    private final int size;
    private long startNanos;

    private RelayFleet(int size) {
        this.size = size;
    }

    /** Starts {@code n} relays from {@code base} (instance ids {@code <name>-<i>}) and returns at once. */
    static RelayFleet start(BenchEnv env, int n, String name, RelayConfig base) {
        RelayFleet fleet = new RelayFleet(n);
        fleet.startNanos = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(env.db.jdbcUrl());
            hc.setUsername(env.db.username());
            hc.setPassword(env.db.password());
            hc.setMaximumPoolSize(2 * base.polling().workers() + 3);
            hc.setPoolName("bench-relay-" + i);
            // The name PostgreSQL shows for these backends, so their transactions and CPU can be told apart.
            hc.addDataSourceProperty("ApplicationName", "bench-relay-" + i);
            HikariDataSource pool = new HikariDataSource(hc);
            fleet.pools.add(pool);
            RelayConfig config = base.toBuilder().instanceId(name + "-" + i)
                    .kafka(new KafkaConfig(env.kafka.bootstrapServers(), base.kafka().producer())).build();
            // The relay's own producer settings, created here only so flush() can be timed.
            Map<String, Object> props = new HashMap<>(config.kafka().effectiveProducerProperties());
            props.put("client.id", "outbox-relay-" + config.instanceId());
            Producer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer());
            fleet.producers.add(producer);
            Relay relay = Relay.builder().config(config).dataSource(fleet.timer.wrap(pool)).meterRegistry(fleet.registry)
                    .producer(fleet.timer.wrap(producer)).build();
            fleet.relays.add(relay);
            relay.start();
        }
        return fleet;
    }

    long startNanos() {
        return startNanos;
    }

    /** Events marked published, summed over the instances. */
    long published() {
        double sum = 0;
        for (Counter c : registry.find("outbox.events.published").counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    /** Non-empty batches claimed, summed over the instances. */
    long batches() {
        return registry.find("outbox.batch.size").summaries().stream().mapToLong(s -> s.count()).sum();
    }

    /** The shards each instance holds now, in instance order. */
    List<Integer> shards() {
        List<Integer> out = new ArrayList<>();
        for (Relay r : relays) {
            Gauge g = registry.find("outbox.shards.owned").tag("instance", r.config().instanceId()).gauge();
            out.add(g == null ? 0 : (int) g.value());
        }
        return out;
    }

    /**
     * Waits until all 64 shards are held and shared fairly ({@code ceil(64/n)} at most each; with
     * {@code balance: packed} all on one instance).
     */
    boolean awaitBalanced(Duration timeout) {
        boolean packed = relays.stream().allMatch(r -> r.config().polling().packed());
        int fair = packed ? 64 : (64 + size - 1) / size;
        return BenchEnv.await(timeout, () -> {
            List<Integer> s = shards();
            return s.stream().mapToInt(Integer::intValue).sum() == 64 && s.stream().allMatch(x -> x <= fair);
        });
    }

    /** The relays' own commit-to-ack timers ({@code created_at} to ack): mean and max over instances, in ms. */
    String relayCommitToAck() {
        double max = 0;
        double total = 0;
        long count = 0;
        for (Timer t : registry.find("outbox.commit.to.ack").timers()) {
            max = Math.max(max, t.max(TimeUnit.MILLISECONDS));
            total += t.totalTime(TimeUnit.MILLISECONDS);
            count += t.count();
        }
        return String.format(java.util.Locale.ROOT, "mean %.1f ms, max %.1f ms (%d events)",
                count == 0 ? Double.NaN : total / count, max, count);
    }

    /**
     * Closes every pooled connection of the relays (in-use ones when they are returned; the pools
     * open new ones), so their PostgreSQL backends exit and flush their statistics.
     */
    void evictConnections() {
        for (HikariDataSource p : pools) {
            p.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    public void close() {
        for (Relay r : relays) {
            r.close();
        }
        for (HikariDataSource p : pools) {
            p.close();
        }
        for (Producer<byte[], byte[]> p : producers) {
            p.close(Duration.ofSeconds(5));
        }
        producers.clear();
        relays.clear();
        pools.clear();
    }
}
