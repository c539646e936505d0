package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox part of the acceptance suite: at-most-once handlers and purge on a real server. */
abstract class AbstractInboxAcceptance extends AcceptanceFixture {
  protected Inbox inbox;

  @BeforeEach
  void createInboxAndEffectTable() {
    inbox = Inbox.of(tables);
    dsl.execute("CREATE TABLE " + effects() + " (" + q("event_id") + " varchar(64) PRIMARY KEY, " + q("n") + " int NOT NULL)");
  }

  private String effects() {
    return q(tables.prefix() + "effects");
  }

  private void prepareEffect(String eventId) {
    dsl.execute("INSERT INTO " + effects() + " VALUES (?, 0)", eventId);
  }

  private int effectCount(String eventId) {
    return dsl.fetchSingle("SELECT " + q("n") + " FROM " + effects() + " WHERE " + q("event_id") + " = ?", eventId)
        .get(0, Integer.class);
  }

  private Inbox.Handler increment(Connection c, String eventId) {
    return () -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE " + effects() + " SET " + q("n") + " = " + q("n") + " + 1 WHERE " + q("event_id") + " = ?")) {
        ps.setString(1, eventId);
        ps.executeUpdate();
      }
    };
  }

  private boolean deliver(String consumer, String eventId) throws Exception {
    boolean[] ran = new boolean[1];
    inTransaction(c -> ran[0] = inbox.runOnce(c, consumer, eventId, increment(c, eventId)));
    return ran[0];
  }

  @Test
  void runsTheHandlerOncePerConsumerAndEvent() throws Exception {
    prepareEffect("e-1");
    assertThat(deliver("billing", "e-1")).isTrue();
    assertThat(deliver("billing", "e-1")).isFalse();
    assertThat(effectCount("e-1")).isEqualTo(1);
    assertThat(deliver("shipping", "e-1")).as("another consumer has its own record").isTrue();
    assertThat(effectCount("e-1")).isEqualTo(2);
  }

  @Test
  void runsOnceThroughJooqToo() {
    prepareEffect("e-j");
    boolean first = dsl.transactionResult(cfg -> inbox.runOnce(cfg.dsl(), "billing", "e-j",
        () -> cfg.dsl().execute("UPDATE " + effects() + " SET " + q("n") + " = " + q("n") + " + 1")));
    boolean second = dsl.transactionResult(cfg -> inbox.runOnce(cfg.dsl(), "billing", "e-j", () -> {
      throw new AssertionError("must not run twice");
    }));
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(effectCount("e-j")).isEqualTo(1);
  }

  @Test
  void aRolledBackDeliveryLeavesTheEventUnprocessed() throws Exception {
    prepareEffect("e-2");
    assertThatThrownBy(() -> inTransaction(c -> inbox.runOnce(c, "billing", "e-2", () -> {
      increment(c, "e-2").handle();
      throw new IllegalStateException("handler failed");
    }))).hasMessage("handler failed");
    assertThat(effectCount("e-2")).isZero();

    assertThat(deliver("billing", "e-2")).isTrue();
    assertThat(effectCount("e-2")).isEqualTo(1);
  }

  @Test
  void concurrentDeliveriesOfOneEventCommitExactlyOneEffect() throws Exception {
    for (int i = 0; i < 10; i++) {
      String eventId = "race-" + i;
      prepareEffect(eventId);
      List<Boolean> ran = Concurrently.run(4, () -> deliver("billing", eventId));
      assertThat(ran).as("handlers that ran for " + eventId).containsOnlyOnce(true);
      assertThat(effectCount(eventId)).isEqualTo(1);
    }
  }

  @Test
  void refusesAutoCommitConnections() throws Exception {
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(() -> inbox.runOnce(c, "billing", "e-3", () -> { }))
          .isInstanceOf(AutoCommitException.class).hasMessageContaining("Inbox.runOnce");
    }
  }

  @Test
  void purgeDeletesOldRowsInBoundedBatches() throws Exception {
    String table = dialect().table(tables, tables.inboxTable());
    for (int i = 0; i < 25; i++) {
      dsl.execute("INSERT INTO " + table + " (" + q("consumer") + ", " + q("event_id") + ", " + q("processed_at")
          + ") VALUES ('billing', ?, " + daysAgo(2) + ")", "old-" + i);
    }
    for (int i = 0; i < 5; i++) {
      prepareEffect("new-" + i);
      deliver("billing", "new-" + i);
    }
    RoundTrips trips = new RoundTrips();

    long deleted = inbox.purge(trips.wrap(dataSource()), Duration.ofDays(1), 10);

    assertThat(deleted).isEqualTo(25);
    assertThat(trips.count()).as("delete statements of at most 10 rows").isEqualTo(3);
    assertThat(dsl.fetch("SELECT " + q("event_id") + " FROM " + table).getValues(0, String.class))
        .containsExactlyInAnyOrder("new-0", "new-1", "new-2", "new-3", "new-4");
    assertThat(deliver("billing", "new-0")).as("recent rows still deduplicate").isFalse();
  }
}
