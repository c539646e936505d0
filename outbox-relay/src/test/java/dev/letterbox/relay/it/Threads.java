package dev.letterbox.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which threads a piece of code left running. */
final class Threads {

    private Threads() {
    }

    static Set<Thread> alive() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * Asserts, after giving threads a moment to end, that no thread started since {@code before} is
     * still alive when it is not a daemon (it would keep the JVM from exiting) or its name contains
     * one of {@code ownNames} (a relay thread, daemon or not, must not outlive close()).
     */
    static void awaitNoneLeftSince(Set<Thread> before, List<String> ownNames) {
        try {
            // polled on this thread: an Awaitility thread would count as one left running
            await().pollInSameThread().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> left(before, ownNames).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // fall through to the assertion, which names the threads
        }
        assertThat(left(before, ownNames)).as("threads left running after close()").isEmpty();
    }

    private static Set<String> left(Set<Thread> before, List<String> ownNames) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && !t.getName().startsWith("awaitility"))
                .filter(t -> !t.isDaemon() || ownNames.stream().anyMatch(n -> t.getName().contains(n)))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .collect(Collectors.toSet());
    }
}
