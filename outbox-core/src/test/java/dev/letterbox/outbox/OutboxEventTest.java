package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxEventTest {
  private static OutboxEvent.Builder valid() {
    return OutboxEvent.builder().aggregateType("order").aggregateId("42").eventType("OrderPlaced").payload("{}");
  }

  private static void assertInvalid(OutboxEvent.Builder builder, String field, String ruleFragment, String value) {
    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.value()).isEqualTo(value);
        })
        .hasMessageContaining(field).hasMessageContaining(ruleFragment);
  }

  @Test
  void generatesATimeOrderedVersion7IdWhenAbsent() {
    OutboxEvent first = valid().build();
    OutboxEvent second = valid().build();
    assertThat(first.id().version()).isEqualTo(7);
    assertThat(first.id().compareTo(second.id())).isNegative();
  }

  @Test
  void copiesThePayloadOnTheWayInAndOut() {
    byte[] bytes = {1, 2, 3};
    OutboxEvent event = valid().payload(bytes).build();
    bytes[0] = 9;
    event.payload()[1] = 9;
    assertThat(event.payload()).containsExactly(1, 2, 3);
    assertThat(event.payloadSize()).isEqualTo(3);
  }

  @Test
  void textAndJsonPayloadConveniences() {
    assertThat(valid().payload("héllo").build().payload()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    OutboxEvent json = valid().jsonPayload(Map.of("total", 10)).build();
    assertThat(json.payloadAsString()).isEqualTo("{\"total\":10}");
    assertThat(valid().payload((String) null).build().payload()).as("tombstone").isNull();
  }

  @Test
  void equalEventsAreEqualIncludingPayloadBytes() {
    OutboxEvent event = valid().header("a", "b").build();
    assertThat(event.toBuilder().build()).isEqualTo(event).hasSameHashCodeAs(event);
    assertThat(event.toBuilder().payload("other").build()).isNotEqualTo(event);
  }

  @Test
  void refusesBlankOrOverlongTextFields() {
    assertInvalid(valid().aggregateType(" "), "aggregateType", "must not be blank", " ");
    assertInvalid(valid().aggregateId(null), "aggregateId", "must not be blank", null);
    assertInvalid(valid().eventType(""), "eventType", "must not be blank", "");
    assertInvalid(valid().aggregateId("x".repeat(256)), "aggregateId", "at most 255 characters", "x".repeat(256));
  }

  @Test
  void refusesTopicNamesKafkaWouldReject() {
    assertInvalid(valid().topic("orders events"), "topic", "only ASCII letters, digits", "orders events");
    assertInvalid(valid().topic("orders/v1"), "topic", "Kafka's legal topic characters", "orders/v1");
    assertInvalid(valid().topic(".."), "topic", "must not be '.' or '..'", "..");
    assertInvalid(valid().topic("t".repeat(250)), "topic", "1 to 249 characters", "t".repeat(250));
    assertInvalid(valid().topic(""), "topic", "1 to 249 characters", "");
    assertThat(valid().topic("Orders_v1.events-2").build().topic()).isEqualTo("Orders_v1.events-2");
  }

  @Test
  void refusesReservedAndMalformedHeaders() {
    assertInvalid(valid().header("id", "x"), "headers.id", "is reserved", "x");
    assertInvalid(valid().header("Type", "x"), "headers.Type", "is reserved", "x");
    assertInvalid(valid().header("aggregatetype", "x"), "headers.aggregatetype", "is reserved", "x");
    assertInvalid(valid().header("k", null), "headers.k", "must not be null", null);
    assertInvalid(valid().header(" ", "v"), "headers", "blank header name", " ");
  }

  @Test
  void messageShortensLongValues() {
    assertThatThrownBy(() -> valid().aggregateId("y".repeat(300)).build())
        .hasMessageContaining("...").hasMessageNotContaining("y".repeat(200));
  }

  @Test
  void outboxBuilderRefusesNonsenseLimits() {
    assertThatThrownBy(() -> Outbox.builder().maxPayloadBytes(0))
        .isInstanceOf(InvalidConfigurationException.class).hasMessage("outbox.max-payload-bytes must be at least 1, was '0'");
    assertThatThrownBy(() -> Outbox.builder().logicalMessagePrefix(" "))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("outbox.logical-message-prefix");
  }

  @Test
  void outboxBuilderRefusesANegativeNotifyRelayInterval() {
    assertThatThrownBy(() -> Outbox.builder().notifyRelay(Duration.ofMillis(-1)))
        .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
          assertThat(e.property()).isEqualTo("outbox.notify-relay");
          assertThat(e.value()).isEqualTo("PT-0.001S");
        })
        .hasMessage("outbox.notify-relay must be zero or more (zero notifies on every append), was 'PT-0.001S'");
    assertThatThrownBy(() -> Outbox.builder().notifyRelay(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("atMostEvery");
    assertThat(Outbox.builder().notifyRelay(Duration.ZERO).build()).isNotNull();
  }
}
