package dev.letterbox.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {
  @Test
  void carriesVersionVariantAndTheMillisecond() {
    long now = System.currentTimeMillis();
    UUID id = UuidV7.next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(UuidV7.millis(id)).isBetween(now, System.currentTimeMillis() + 1);
  }

  @Test
  void isStrictlyIncreasingWithinOneMillisecond() {
    long ms = System.currentTimeMillis() + 60_000;
    UuidV7 generator = new UuidV7();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      ids.add(generator.generate(ms, -1L));
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i - 1).compareTo(ids.get(i))).isNegative();
    }
    assertThat(ids).allSatisfy(id -> assertThat(UuidV7.millis(id)).isEqualTo(ms));
  }

  @Test
  void neverGoesBackwardsWhenTheClockDoes() {
    UuidV7 generator = new UuidV7();
    UUID later = generator.generate(System.currentTimeMillis() + 120_000, 0);
    UUID earlierClock = generator.generate(System.currentTimeMillis(), 0);
    assertThat(earlierClock.compareTo(later)).isPositive();
  }
}
