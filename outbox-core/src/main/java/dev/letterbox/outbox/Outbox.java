package dev.letterbox.outbox;

import dev.letterbox.outbox.internal.DefaultOutbox;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * Writes events into the outbox inside the caller's database transaction, so an event exists if
 * and only if that transaction commits; thread-safe (one instance serves the whole application).
 *
 * <pre>{@code
 * Outbox outbox = Outbox.builder().build();          // defaults: outbox_event, WriteMode.TABLE
 * dsl.transaction(cfg -> {
 *   cfg.dsl().insertInto(ORDERS).set(...).execute();
 *   outbox.append(cfg.dsl(), OutboxEvent.builder()
 *       .aggregateType("order").aggregateId("42").eventType("OrderPlaced").jsonPayload(order).build());
 * });
 * }</pre>
 *
 * <p>Every method refuses a connection in auto-commit mode ({@link AutoCommitException}),
 * validates the events ({@link InvalidEventException}) and, when the OpenTelemetry API is on the
 * classpath, adds the current span's {@code traceparent}/{@code tracestate} to the headers unless
 * the event already has a {@code traceparent}. The connection stays the caller's: the outbox never
 * commits, rolls back or closes it. With {@link Builder#notifyRelay}, an append on PostgreSQL also
 * wakes a relay that listens for notifications.
 */
public interface Outbox {

  /** Starts a builder with the defaults (see {@link Builder}). */
  static Builder builder() {
    return new Builder();
  }

  /** Appends one event in the transaction of the jOOQ context {@code tx}. */
  void append(DSLContext tx, OutboxEvent event);

  /** Appends one event in the transaction of the JDBC connection {@code tx}. */
  void append(Connection tx, OutboxEvent event);

  /** Appends all {@code events}, in list order, in one batched round trip on {@code tx}. */
  void appendAll(DSLContext tx, List<OutboxEvent> events);

  /** Appends all {@code events}, in list order, in one batched round trip on {@code tx}. */
  void appendAll(Connection tx, List<OutboxEvent> events);

  /** The tables this outbox writes to. */
  OutboxTables tables();

  /** How this outbox writes events. */
  WriteMode writeMode();

  /** Configures an {@link Outbox}; not thread-safe, {@link #build()} gives an immutable instance. */
  final class Builder {
    /** Default {@link #maxPayloadBytes}: 1 MiB, Kafka's default maximum request size. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** Default {@link #maxHeaderBytes}: 16 KiB of header names and values. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

    private OutboxTables tables = OutboxTables.ofDefaults();
    private WriteMode writeMode = WriteMode.TABLE;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private String logicalMessagePrefix = LogicalMessageCodec.DEFAULT_PREFIX;
    private boolean captureTraceContext = true;
    private Clock clock = Clock.systemUTC();
    private Duration notifyRelay;

    private Builder() {}

    /** Sets the tables; default {@link OutboxTables#ofDefaults()}. */
    public Builder tables(OutboxTables tables) {
      this.tables = Objects.requireNonNull(tables, "tables");
      return this;
    }

    /** Sets the write mode; default {@link WriteMode#TABLE}. */
    public Builder writeMode(WriteMode writeMode) {
      this.writeMode = Objects.requireNonNull(writeMode, "writeMode");
      return this;
    }

    /** Sets the largest payload accepted, in bytes; default 1 MiB; 1 or more. */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 1) {
        throw new InvalidConfigurationException("outbox.max-payload-bytes", "must be at least 1",
            String.valueOf(maxPayloadBytes));
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** Sets the largest total of header names and values accepted, in UTF-8 bytes; default 16 KiB; 1 or more. */
    public Builder maxHeaderBytes(int maxHeaderBytes) {
      if (maxHeaderBytes < 1) {
        throw new InvalidConfigurationException("outbox.max-header-bytes", "must be at least 1",
            String.valueOf(maxHeaderBytes));
      }
      this.maxHeaderBytes = maxHeaderBytes;
      return this;
    }

    /** Sets the prefix of {@link WriteMode#LOGICAL_MESSAGE} messages; default {@code letterbox.outbox}. */
    public Builder logicalMessagePrefix(String prefix) {
      if (prefix == null || prefix.isBlank() || prefix.length() > 255) {
        throw new InvalidConfigurationException("outbox.logical-message-prefix", "must be 1 to 255 non-blank"
            + " characters (the CDC strategy filters messages on it)", prefix);
      }
      this.logicalMessagePrefix = prefix;
      return this;
    }

    /** Whether to copy the current OpenTelemetry trace context into headers; default {@code true}. */
    public Builder captureTraceContext(boolean capture) {
      this.captureTraceContext = capture;
      return this;
    }

    /** Sets the clock that stamps {@link WriteMode#LOGICAL_MESSAGE} envelopes; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Wakes a polling relay that listens for notifications ({@code relay.polling.listen-notify: true}):
     * an append on PostgreSQL also runs {@code SELECT pg_notify('<prefix>event', '')} on the caller's
     * connection, inside its transaction, at most once per {@code atMostEvery} for this outbox (appends
     * on all threads share the limit; {@code appendAll} notifies once at most). The notification is
     * delivered when the transaction commits and discarded when it rolls back. Default: off, no
     * notification.
     *
     * <pre>{@code
     * Outbox outbox = Outbox.builder().notifyRelay(Duration.ofMillis(10)).build();
     * }</pre>
     *
     * <p>Cost: one more statement in a notifying transaction, and at its commit PostgreSQL's
     * notification queue lock, which serializes the commits of all notifying transactions; the
     * interval bounds how many pay it. Skipping the transactions within {@code atMostEvery} of a
     * notifying one loses nothing: the woken relay polls with its short idle backoff (1 ms doubling
     * to 100 ms) for a while before its pollers doze again, and reads their rows then. A notifying
     * transaction that rolls back may leave the commits of the rest of its interval to the relay's
     * safety-net read (once a second while its pollers doze).
     *
     * <p>Only for {@link WriteMode#TABLE}, the mode the polling relay reads: with
     * {@link WriteMode#INSERT_AND_DELETE} and {@link WriteMode#LOGICAL_MESSAGE} the CDC relay reads
     * the write-ahead log and needs no wake-up, so the option is ignored and {@link #build()} logs a
     * warning. On MariaDB/MySQL and H2, which have no {@code NOTIFY}, appends do not notify and the
     * first one logs a warning (once per outbox).
     *
     * @param atMostEvery the shortest time between two notifications of this outbox; zero or more,
     *     {@link Duration#ZERO} notifies on every append; not null
     * @throws InvalidConfigurationException if {@code atMostEvery} is negative
     */
    public Builder notifyRelay(Duration atMostEvery) {
      Objects.requireNonNull(atMostEvery, "atMostEvery");
      if (atMostEvery.isNegative()) {
        throw new InvalidConfigurationException("outbox.notify-relay", "must be zero or more (zero notifies on"
            + " every append)", atMostEvery.toString());
      }
      this.notifyRelay = atMostEvery;
      return this;
    }

    /** Builds the outbox. */
    public Outbox build() {
      return new DefaultOutbox(tables, writeMode, maxPayloadBytes, maxHeaderBytes, logicalMessagePrefix,
          captureTraceContext, clock, notifyRelay);
    }
  }
}
