package dev.letterbox.testsupport.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/** Tells, once per JVM, whether Testcontainers finds a working Docker engine. Thread-safe. */
public final class Docker {

    /** Set to {@code false} to never use Testcontainers, even where Docker works. */
    public static final String USE_DOCKER_ENV = "OUTBOX_TEST_USE_DOCKER";

    private static final Logger LOG = LoggerFactory.getLogger(Docker.class);
    private static final Lazy<Boolean> AVAILABLE = Lazy.of(Docker::probe);

    private Docker() {
    }

    /** Returns whether Docker can run containers here; false if Testcontainers is missing or fails. */
    public static boolean available() {
        return AVAILABLE.get();
    }

    private static boolean probe() {
        if (Settings.get(USE_DOCKER_ENV).map(v -> v.equalsIgnoreCase("false")).orElse(false)) {
            LOG.info("Docker probe: available=false reason='{}=false'", USE_DOCKER_ENV);
            return false;
        }
        long start = System.nanoTime();
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            LOG.debug("Docker probe failed", e);
            available = false;
        }
        LOG.info("Docker probe: available={} probeMs={}", available, (System.nanoTime() - start) / 1_000_000);
        return available;
    }
}
