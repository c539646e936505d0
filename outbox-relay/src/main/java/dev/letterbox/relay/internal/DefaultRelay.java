package dev.letterbox.relay.internal;

import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RelayHealth;
import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.RelayState;
import dev.letterbox.relay.spi.RelayStrategy;
import dev.letterbox.relay.spi.RelayStrategyProvider;
import dev.letterbox.relay.spi.StrategyHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stock {@link Relay}: wires strategy, publisher, leases, cleanup and metrics sampling, and
 * runs the {@code NEW → RUNNING → STOPPING → STOPPED} state machine with compare-and-set
 * transitions. Thread-safe.
 */
public final class DefaultRelay implements Relay {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultRelay.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final RelayConfig config;
    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Producer<byte[], byte[]> injectedProducer;
    private final RelayStrategyProvider provider;
    private final RelayMetrics metrics;
    private final AtomicReference<RelayState> state = new AtomicReference<>(RelayState.NEW);
    private Producer<byte[], byte[]> ownProducer;
    private RelayStrategy strategy;
    /** The started strategy, read without the lock by {@link #wakeUp()} (close() holds the lock for seconds). */
    private volatile RelayStrategy started;
    private Cleaner cleaner;
    private MetricsSampler sampler;
    private volatile Admin admin;

    /** Builds a relay whose strategy is found by name through {@link ServiceLoader}. */
    public DefaultRelay(RelayConfig config, DataSource dataSource, MeterRegistry registry, Clock clock,
                        Producer<byte[], byte[]> producer) {
        this(config, dataSource, registry, clock, producer, findProvider(config.strategy()));
    }

    /** Builds a relay with the given strategy provider (tests pass one with hooks). */
    public DefaultRelay(RelayConfig config, DataSource dataSource, MeterRegistry registry, Clock clock,
                        Producer<byte[], byte[]> producer, RelayStrategyProvider provider) {
        this.config = config;
        this.dataSource = dataSource;
        this.registry = registry;
        this.clock = clock;
        this.injectedProducer = producer;
        this.provider = provider;
        this.metrics = RelayMetrics.create(config.instanceId(), config.strategy());
        this.metrics.bindTo(registry);
    }

    /** The names of the strategy providers on the class path. */
    public static java.util.SortedSet<String> strategies() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        ServiceLoader.load(RelayStrategyProvider.class).forEach(p -> names.add(p.name()));
        return names;
    }

    static RelayStrategyProvider findProvider(String name) {
        List<String> found = new ArrayList<>();
        for (RelayStrategyProvider p : ServiceLoader.load(RelayStrategyProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
            found.add(p.name());
        }
        throw new IllegalArgumentException("relay.strategy '" + name + "' has no provider on the classpath (found " + found
                + "): use one of those" + ("cdc".equals(name) ? ", or add the outbox-debezium module (the standalone"
                + " service with it is outbox-debezium/target/outbox-relay-cdc.jar)" : ""));
    }

    @Override
    public synchronized void start() {
        if (!state.compareAndSet(RelayState.NEW, RelayState.RUNNING)) {
            throw new IllegalStateException("a relay starts once, from NEW; it is " + state.get());
        }
        // the threads started below copy this thread's MDC (CallerMdc), so their events carry the instance
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_INSTANCE, config.instanceId())) {
            startComponents();
        }
    }

    private void startComponents() {
        Producer<byte[], byte[]> producer = injectedProducer;
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(config.kafka().effectiveProducerProperties());
            props.putIfAbsent("client.id", "outbox-relay-" + config.instanceId());
            ownProducer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            producer = ownProducer;
        }
        KafkaEventPublisher publisher = new KafkaEventPublisher(producer, config.topicTemplate(), metrics, clock);
        Db db = new Db(dataSource, config.tables());
        JdbcLeaseManager leases = new JdbcLeaseManager(db,
                new LeaseStore(db, config.instanceId(), config.polling().leaseTtl()));
        DefaultRelayContext context = new DefaultRelayContext(config, dataSource, publisher, metrics, registry, clock, leases);
        strategy = provider.create(context);
        strategy.start();
        started = strategy;
        if (config.cleanup().enabled()) {
            cleaner = new Cleaner(db, config.cleanup(), config.inboxPurge(), leases, metrics);
            cleaner.start();
        }
        sampler = new MetricsSampler(db, metrics, config.metricsInterval());
        sampler.start();
        LOG.atInfo().addKeyValue("instance", config.instanceId()).addKeyValue("strategy", config.strategy())
                .addKeyValue("topic_template", config.topicTemplate()).log("relay started");
    }

    @Override
    public void wakeUp() {
        RelayStrategy s = started;
        if (s != null && state.get() == RelayState.RUNNING) {
            s.wakeUp();
        }
    }

    @Override
    public RelayState state() {
        return state.get();
    }

    @Override
    public RelayConfig config() {
        return config;
    }

    @Override
    public RelayMetrics metrics() {
        return metrics;
    }

    @Override
    public RelayHealth health() {
        RelayStrategy s;
        synchronized (this) {
            s = strategy;
        }
        StrategyHealth sh = s == null ? StrategyHealth.notReady(Map.of("state", state.get().name())) : s.health();
        return new RelayHealth(state.get(), databaseReachable(), kafkaReachable(), metrics.circuitState(),
                metrics.oldestUnpublishedAge(), sh);
    }

    private boolean databaseReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid((int) CHECK_TIMEOUT.toSeconds());
        } catch (Exception e) {
            return false;
        }
    }

    private boolean kafkaReachable() {
        if (config.kafka().bootstrapServers() == null) {
            return metrics.circuitState() != dev.letterbox.relay.CircuitState.OPEN;
        }
        Admin client = admin();
        if (client == null) {
            return false;
        }
        try {
            return !client.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                    .nodes().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * The health check's admin client, created on first use while running; null once the relay is
     * stopping. Regression: health() after close() created a client that nobody closed, and its
     * thread outlived the relay.
     */
    private synchronized Admin admin() {
        if (admin == null) {
            if (state.get() != RelayState.RUNNING) {
                return null;
            }
            Map<String, Object> props = new HashMap<>();
            config.kafka().effectiveProducerProperties().forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                    props.put(k, v);
                }
            });
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-health-" + config.instanceId());
            admin = Admin.create(props);
        }
        return admin;
    }

    @Override
    public void close() {
        if (state.compareAndSet(RelayState.NEW, RelayState.STOPPED)) {
            return;
        }
        if (!state.compareAndSet(RelayState.RUNNING, RelayState.STOPPING)) {
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_INSTANCE, config.instanceId())) {
            stopComponents();
        }
    }

    private void stopComponents() {
        LOG.atInfo().addKeyValue("instance", config.instanceId()).log("relay stopping");
        synchronized (this) {
            quietly("strategy", strategy);
            quietly("cleanup", cleaner);
            quietly("metrics sampler", sampler);
            if (ownProducer != null) {
                ownProducer.close(Duration.ofSeconds(5));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
        state.set(RelayState.STOPPED);
        LOG.atInfo().addKeyValue("instance", config.instanceId()).log("relay stopped");
    }

    private static void quietly(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("component", what).addKeyValue("error", e.getMessage()).log("closing a component failed");
        }
    }
}
