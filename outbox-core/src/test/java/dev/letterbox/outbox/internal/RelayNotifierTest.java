package dev.letterbox.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.outbox.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limit of {@code Outbox.Builder.notifyRelay}, on a clock the test moves. */
class RelayNotifierTest {
  private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // System.nanoTime may be negative

  private RelayNotifier notifier(Duration interval) {
    return new RelayNotifier("outbox_event", interval, nanos::get);
  }

  @Test
  void notifiesTheFirstAppendThenAtMostOncePerInterval() {
    RelayNotifier notifier = notifier(Duration.ofMillis(10));

    assertThat(notifier.claim()).as("first append").isTrue();
    assertThat(notifier.claim()).as("same instant").isFalse();
    nanos.addAndGet(Duration.ofMillis(9).toNanos());
    assertThat(notifier.claim()).as("9 ms later").isFalse();
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(notifier.claim()).as("10 ms after the first").isTrue();
    nanos.addAndGet(Duration.ofMillis(5).toNanos());
    assertThat(notifier.claim()).as("5 ms after the second").isFalse();
    nanos.addAndGet(Duration.ofHours(1).toNanos());
    assertThat(notifier.claim()).as("after a long quiet spell").isTrue();
  }

  @Test
  void aZeroIntervalNotifiesEveryAppend() {
    RelayNotifier notifier = notifier(Duration.ZERO);

    for (int i = 0; i < 5; i++) {
      assertThat(notifier.claim()).isTrue();
    }
  }

  @Test
  void anIntervalTooLongForNanosecondsNotifiesOnceOnly() {
    RelayNotifier notifier = notifier(Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(notifier.claim()).isTrue();
    nanos.addAndGet(Duration.ofDays(365 * 100).toNanos());
    assertThat(notifier.claim()).isFalse();
  }

  @Test
  void concurrentAppendsShareOneNotificationPerInterval() throws Exception {
    RelayNotifier notifier = notifier(Duration.ofSeconds(1));

    List<Integer> claimed = Concurrently.run(8, () -> {
      int n = 0;
      for (int i = 0; i < 1000; i++) {
        n += notifier.claim() ? 1 : 0;
      }
      return n;
    });

    assertThat(claimed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
  }
}
