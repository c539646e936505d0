package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Log mode's idle watch: who dozes, for how long, and who is woken when the sequence moves. */
class IdleWatchTest {

    @Test
    void dozesTenIdleBackoffsAndAtLeastASecond() {
        assertThat(new IdleWatch(List.of(new Waker()), false, Duration.ofMillis(100)).doze(false))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new IdleWatch(List.of(new Waker()), false, Duration.ofMillis(20)).doze(false))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new IdleWatch(List.of(new Waker()), false, Duration.ofMillis(500)).doze(false))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withNotifyTheSentinelDozesTenBackoffsAndTheOthersTenTimesLonger() {
        IdleWatch watch = new IdleWatch(List.of(new Waker(), new Waker()), true, Duration.ofMillis(100));
        assertThat(watch.doze(true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(watch.doze(false)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aMovedSequenceWakesTheDozingPollersOnly() throws Exception {
        Waker dozing = new Waker();
        Waker awake = new Waker();
        IdleWatch watch = new IdleWatch(List.of(awake, dozing), false, Duration.ofMillis(100));
        watch.saw(10);
        assertThat(watch.tryDoze(1, 10)).isTrue();
        CompletableFuture<Long> dozed = CompletableFuture.supplyAsync(() -> timed(dozing));

        watch.saw(10); // the same value: nothing moved
        watch.saw(11);

        assertThat(dozed.get(30, TimeUnit.SECONDS)).as("ms the dozing poller waited").isLessThan(30_000);
        // the awake poller was not signalled: its next pause runs its whole length
        assertThat(timed(awake, Duration.ofMillis(50))).isGreaterThanOrEqualTo(45);
    }

    @Test
    void theFirstValueSeenWakesNobody() {
        Waker dozing = new Waker();
        IdleWatch watch = new IdleWatch(List.of(new Waker(), dozing), false, Duration.ofMillis(100));
        assertThat(watch.tryDoze(1, 0)).isTrue();

        watch.saw(42);

        assertThat(timed(dozing, Duration.ofMillis(50))).isGreaterThanOrEqualTo(45);
    }

    @Test
    void aPollerNoLongerDozingIsNotWoken() {
        Waker poller = new Waker();
        IdleWatch watch = new IdleWatch(List.of(new Waker(), poller), false, Duration.ofMillis(100));
        watch.saw(1);
        assertThat(watch.tryDoze(1, 1)).isTrue();
        watch.awake(1);

        watch.saw(2);

        assertThat(timed(poller, Duration.ofMillis(50))).isGreaterThanOrEqualTo(45);
    }

    private static long timed(Waker w) {
        return timed(w, Duration.ofSeconds(60));
    }

    private static long timed(Waker w, Duration pause) {
        long start = System.nanoTime();
        w.await(pause);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aPollerWhoseLastReadIsBehindWhatAnotherReadSawDoesNotDoze() {
        Waker poller = new Waker();
        IdleWatch watch = new IdleWatch(List.of(new Waker(), poller), false, Duration.ofMillis(100));
        watch.saw(5);
        // poller 1 read value 5, then the sentinel saw 6 before poller 1 went to doze: nobody was woken
        watch.saw(6);

        assertThat(watch.tryDoze(1, 5)).as("poller 1 must read again instead of dozing").isFalse();
        assertThat(watch.tryDoze(1, 6)).isTrue();
    }
}
