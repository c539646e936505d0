package dev.letterbox.testsupport.internal;

/**
 * A Kafka cluster this JVM does not run (given by address, or a container), reached through its
 * bootstrap servers. Thread-safe.
 */
final class RemoteKafka extends AbstractKafkaServer {

    private final String bootstrapServers;
    private final String source;

    RemoteKafka(String bootstrapServers, String source, AutoCloseable stopServer) {
        this.bootstrapServers = bootstrapServers;
        this.source = source;
        ShutdownHooks.register("kafka", () -> {
            closeAdmin();
            if (stopServer != null) {
                try {
                    stopServer.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Stopping Kafka failed: " + source, e);
                }
            }
        });
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Kafka " + bootstrapServers + " from " + source;
    }
}
