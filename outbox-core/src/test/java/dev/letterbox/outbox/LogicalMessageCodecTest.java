package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogicalMessageCodecTest {
  private static final Instant AT = Instant.parse("2026-11-24T17:00:00.123456Z");

  @Test
  void roundTripsEveryField() {
    OutboxEvent event = OutboxEvent.builder().aggregateType("order").aggregateId("ü-42").eventType("OrderPlaced")
        .payload(new byte[] {0, -1, 34, 92}).topic("orders.v1")
        .headers(Map.of("quote", "say \"hi\"\\\n\t\u0001\u2028", "traceparent", "00-abc")).build();

    LogicalMessageCodec.Message message = LogicalMessageCodec.decode(LogicalMessageCodec.encode(event, AT));

    assertThat(message.event()).isEqualTo(event);
    assertThat(message.createdAt()).isEqualTo(AT);
  }

  @Test
  void encodesTheDocumentedEnvelope() {
    OutboxEvent event = OutboxEvent.builder().id(java.util.UUID.fromString("01936f0e-0000-7000-8000-000000000001"))
        .aggregateType("order").aggregateId("42").eventType("OrderPlaced").payload("{}").build();
    String json = new String(LogicalMessageCodec.encode(event, AT), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"v\":1,\"id\":\"01936f0e-0000-7000-8000-000000000001\",\"aggregatetype\":\"order\","
        + "\"aggregateid\":\"42\",\"type\":\"OrderPlaced\",\"topic\":null,\"headers\":{},\"payload\":\"e30=\","
        + "\"created_at\":\"2026-11-24T17:00:00.123456Z\"}");
  }

  @Test
  void roundTripsATombstone() {
    OutboxEvent event = OutboxEvent.builder().aggregateType("a").aggregateId("b").eventType("c").build();
    assertThat(LogicalMessageCodec.decode(LogicalMessageCodec.encode(event, AT)).event().payload()).isNull();
  }

  @Test
  void refusesANewerFormatVersion() {
    byte[] content = "{\"v\":2,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LogicalMessageCodec.decode(content))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("logicalMessage.v"))
        .hasMessageContaining("upgrade the reader");
  }

  @Test
  void refusesMalformedContentNamingTheField() {
    assertThatThrownBy(() -> LogicalMessageCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("logicalMessage");
    byte[] badId = ("{\"v\":1,\"id\":\"nope\",\"aggregatetype\":\"a\",\"aggregateid\":\"b\",\"type\":\"c\","
        + "\"created_at\":\"2026-11-24T17:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LogicalMessageCodec.decode(badId))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("logicalMessage.id"));
  }
}
