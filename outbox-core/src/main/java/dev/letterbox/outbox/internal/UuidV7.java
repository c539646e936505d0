package dev.letterbox.outbox.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, then a 12-bit counter that
 * keeps ids strictly increasing within this JVM (also within one millisecond), then 62 random
 * bits; thread-safe.
 */
public final class UuidV7 {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The generator behind {@link #next()}: one per JVM, so its ids never go backwards. */
  private static final UuidV7 DEFAULT = new UuidV7();

  /** Last issued (millis << 12 | counter). */
  private final AtomicLong last = new AtomicLong();

  UuidV7() {}

  /** Returns a new UUIDv7 for the current time. */
  public static UUID next() {
    return DEFAULT.generate(System.currentTimeMillis(), RANDOM.nextLong());
  }

  UUID generate(long nowMillis, long random) {
    long stamp = last.updateAndGet(last -> Math.max(last + 1, (nowMillis & 0xFFFF_FFFF_FFFFL) << 12));
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  /** Returns the Unix milliseconds encoded in a UUIDv7. */
  public static long millis(UUID uuid) {
    return uuid.getMostSignificantBits() >>> 16;
  }
}
