package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pauses of a poller after empty claims, on a clock the test moves. */
class IdleBackoffTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final IdleBackoff backoff = new IdleBackoff(Duration.ofMillis(1), Duration.ofMillis(100), now::get);

    /** Takes {@code n} empty claims, moving the clock by each pause; returns the pauses in ms. */
    private List<Long> emptyClaims(int n) {
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Duration pause = backoff.empty();
            pauses.add(pause.toMillis());
            now.addAndGet(pause.toNanos());
        }
        return pauses;
    }

    @Test
    void withoutRecentEventsThePauseDoublesUpToTheMaximum() {
        assertThat(emptyClaims(9)).containsExactly(1L, 3L, 7L, 15L, 31L, 63L, 100L, 100L, 100L);
    }

    @Test
    void whileEventsFlowThePauseStaysShortThenGrowsAgain() {
        backoff.rows();
        // within 100 ms of the last claim with rows: 1, 3, then 4 ms at most
        List<Long> pauses = emptyClaims(40);
        assertThat(pauses.subList(0, 3)).containsExactly(1L, 3L, 4L);
        long elapsed = 0;
        int i = 0;
        while (elapsed + pauses.get(i) < 100) {
            assertThat(pauses.get(i)).as("pause %d, %d ms after the rows", i, elapsed).isLessThanOrEqualTo(4L);
            elapsed += pauses.get(i++);
        }
        // past the window it doubles again from there, up to the maximum
        assertThat(pauses.subList(pauses.size() - 3, pauses.size())).containsExactly(100L, 100L, 100L);
    }

    @Test
    void aClaimWithRowsStartsOverAtTheMinimum() {
        emptyClaims(8);
        backoff.rows();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aLongerMinimumIsKeptWhileEventsFlow() {
        IdleBackoff slow = new IdleBackoff(Duration.ofMillis(10), Duration.ofMillis(500), now::get);
        slow.rows();
        assertThat(slow.empty()).isEqualTo(Duration.ofMillis(10));
        assertThat(slow.empty()).as("capped at the minimum, which is above 4 ms").isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aMaximumBelowTheActivePauseIsKept() {
        IdleBackoff fast = new IdleBackoff(Duration.ZERO, Duration.ofMillis(2), now::get);
        fast.rows();
        assertThat(List.of(fast.empty(), fast.empty(), fast.empty()))
                .containsExactly(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(2));
    }
}
