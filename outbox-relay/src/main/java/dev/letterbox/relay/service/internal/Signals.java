package dev.letterbox.relay.service.internal;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a callback, so that {@code run} stops gracefully and exits 0
 * (the JVM's default would run shutdown hooks and exit 143).
 */
final class Signals {

    private Signals() {
    }

    /** Calls {@code action} on SIGTERM or SIGINT; where signals cannot be handled, shutdown hooks still stop the relay. */
    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform does not let us handle it: the shutdown hook closes the service instead
            }
        }
    }
}
