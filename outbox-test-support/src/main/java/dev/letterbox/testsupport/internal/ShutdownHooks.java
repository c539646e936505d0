package dev.letterbox.testsupport.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers named JVM shutdown hooks that log, rather than throw, what fails. Thread-safe. */
public final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);

    private ShutdownHooks() {
    }

    /**
     * Runs {@code action} at JVM exit on a thread named {@code letterbox-test-<name>-shutdown}.
     *
     * @param name short name of what is stopped, for example {@code postgres}
     * @param action what to do; exceptions are logged
     */
    public static void register(String name, Runnable action) {
        Thread hook = new Thread(() -> {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("Shutdown of test server failed: server={}", name, e);
            }
        }, "letterbox-test-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
