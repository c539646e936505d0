package dev.letterbox.relay.service.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks the Kafka cluster for its nodes, to tell whether the brokers answer, with the relay's own
 * connection settings (security included).
 *
 * <p>Thread-safe. Owns one admin client, closed by {@link #close()}.
 */
public final class KafkaProbe implements AutoCloseable {

    private final Admin admin;
    private final String bootstrapServers;

    /** Creates the probe from the relay's producer properties (only admin-client keys are used). */
    public KafkaProbe(Map<String, Object> producerProperties) {
        Map<String, Object> props = new HashMap<>();
        producerProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        this.bootstrapServers = String.valueOf(props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.admin = Admin.create(props);
    }

    /**
     * Returns when a broker answered within {@code timeout}.
     *
     * @throws UnreachableException when none did
     */
    public void probe(Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while asking Kafka at " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new UnreachableException("Kafka at " + bootstrapServers + " is unreachable ("
                    + cause.getClass().getSimpleName() + ": " + Databases.firstLine(cause) + ")", cause);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
