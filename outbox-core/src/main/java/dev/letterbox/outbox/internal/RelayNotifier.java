package dev.letterbox.outbox.internal;

import dev.letterbox.outbox.OutboxDatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a listening relay from the appending transaction ({@code Outbox.Builder.notifyRelay}):
 * {@code SELECT pg_notify(<channel>, '')} at most once per interval, delivered at commit. Thread-safe:
 * concurrent appends race for the interval's one notification with a compare-and-set.
 */
final class RelayNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(RelayNotifier.class);
  private static final String NOTIFY = "SELECT pg_notify(?, '')";
  /** {@link #lastNotify} before the first notification. */
  private static final long NEVER = Long.MIN_VALUE;

  private final String channel;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong lastNotify = new AtomicLong(NEVER);
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * Creates the notifier.
   *
   * @param channel the channel the relay listens on, {@code <prefix>event}
   * @param interval the shortest time between two notifications; zero notifies on every append
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  RelayNotifier(String channel, Duration interval, LongSupplier nanoTime) {
    this.channel = channel;
    this.intervalNanos = saturatedNanos(interval);
    this.nanoTime = nanoTime;
  }

  /** Notifies on {@code tx} when PostgreSQL and due; on other databases warns once and does nothing. */
  void afterAppend(Connection tx, Dialect dialect) {
    if (dialect != Dialect.POSTGRESQL) {
      if (warned.compareAndSet(false, true)) {
        LOG.atWarn().addKeyValue("dialect", dialect).addKeyValue("channel", channel)
            .log("outbox.notify-relay is ignored: only PostgreSQL has NOTIFY; this outbox's appends do not"
                + " notify the relay (remove the option)");
      }
      return;
    }
    if (!claim()) {
      return;
    }
    try (PreparedStatement ps = tx.prepareStatement(NOTIFY)) {
      ps.setString(1, channel);
      ps.executeQuery().close();
    } catch (SQLException e) {
      throw new OutboxDatabaseException("notifying the relay on channel " + channel + " (outbox.notify-relay)", e);
    }
  }

  /** Whether this append notifies: true at most once per interval, always with a zero interval. */
  boolean claim() {
    if (intervalNanos == 0) {
      return true;
    }
    long now = nanoTime.getAsLong();
    long last = lastNotify.get();
    if (last != NEVER && now - last < intervalNanos) {
      return false;
    }
    // a lost race means another append has just claimed this interval's notification
    return lastNotify.compareAndSet(last, now);
  }

  private static long saturatedNanos(Duration interval) {
    try {
      return interval.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
