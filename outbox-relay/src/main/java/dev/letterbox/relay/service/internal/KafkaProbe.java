package dev.letterbox.relay.service.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * Asks the Kafka cluster for its nodes, to tell whether the brokers answer, with the relay's own
 * connection settings (security included). Kafka's messages are shown with the secret settings'
 * values hidden.
 *
 * <p>Thread-safe. Owns one admin client, created by the first {@link #probe} that can create it
 * and closed by {@link #close()}.
 */
public final class KafkaProbe implements AutoCloseable {

    private final Map<String, Object> props = new HashMap<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final String bootstrapServers;
    private Admin admin;
    private boolean closed;

    /** Creates the probe from the relay's producer properties (only admin-client keys are used); connects to nothing. */
    public KafkaProbe(Map<String, Object> producerProperties) {
        producerProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
            if (SecretMasking.isSecret(k) && v != null) {
                secrets.addAll(SecretMasking.valueSecrets(String.valueOf(v)));
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        this.bootstrapServers = String.valueOf(props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /**
     * Returns when a broker answered within {@code timeout}.
     *
     * @throws UnreachableException   when none did, or no bootstrap address resolves (yet): a broker's
     *                                DNS name may appear after the relay's container started
     * @throws FatalStartupException  (exit code 3) when the client refuses the settings
     */
    public void probe(Duration timeout) {
        Admin client = client();
        try {
            client.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while asking Kafka at " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new UnreachableException("Kafka at " + bootstrapServers + " is unreachable ("
                    + cause.getClass().getSimpleName() + ": " + message(cause) + ")", null);
        }
    }

    private synchronized Admin client() {
        if (closed) {
            throw new UnreachableException("the Kafka probe is closed", null);
        }
        if (admin == null) {
            try {
                admin = Admin.create(props);
            } catch (KafkaException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                if (String.valueOf(root.getMessage()).contains("No resolvable bootstrap urls")) {
                    // regression: run ended with exit code 1 and a stack trace instead of waiting
                    throw new UnreachableException("Kafka at " + bootstrapServers + " is unreachable (no address in"
                            + " kafka.bootstrap-servers resolves yet)", null);
                }
                throw new FatalStartupException(ExitCodes.CONFIG, "the Kafka client refuses the settings of"
                        + " kafka.* (" + message(root) + "): fix them, see docs/configuration.md", null);
            }
        }
        return admin;
    }

    /** The first line of {@code e}'s message with the secret settings' values hidden. */
    private String message(Throwable e) {
        return SecretMasking.scrub(Databases.firstLine(e), secrets);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
