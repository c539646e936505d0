package dev.letterbox.examples.springorders;

import dev.letterbox.testsupport.KafkaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Drives the running service: places orders over HTTP, then checks written, published, consumed once; one thread. */
final class Demo {

  private static final Duration WAIT = Duration.ofSeconds(120);
  /**
   * Rows the relay published, in either mode: marked PUBLISHED (mark mode), or at or behind their
   * shard's stored position (log mode, the default on PostgreSQL, which never updates a published row).
   */
  private static final String PUBLISHED = "SELECT count(*) FROM outbox_event e WHERE e.status = 'PUBLISHED'"
      + " OR (e.status = 'PENDING' AND e.seq <= COALESCE((SELECT l.position FROM outbox_lease l"
      + " WHERE l.name = 'shard-' || e.shard), 0))";

  private final ConfigurableApplicationContext context;
  private final KafkaServer kafka;
  private final JdbcTemplate jdbc;
  private final ShippingListener shipping;

  Demo(ConfigurableApplicationContext context, KafkaServer kafka) {
    this.context = context;
    this.kafka = kafka;
    this.jdbc = context.getBean(JdbcTemplate.class);
    this.shipping = context.getBean(ShippingListener.class);
  }

  /** Runs the demo; returns the process exit code (0 when every check passed). */
  int run(int orders) throws Exception {
    String port = context.getEnvironment().getProperty("local.server.port");
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 1; i <= orders; i++) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"customer-" + i + "\",\"amount\":" + (10 * i) + "}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.out.println("spring-orders: POST /orders answered " + response.statusCode() + ": " + response.body());
        return 1;
      }
    }
    print("written", count("SELECT count(*) FROM orders") + " orders and " + count("SELECT count(*) FROM outbox_event")
        + " OrderPlaced events, each pair in one @Transactional method (POST /orders)");
    if (!await(() -> count(PUBLISHED) == orders)) {
      return fail("published", count(PUBLISHED), orders);
    }
    print("published", orders + " events to outbox.event.order by the embedded relay");
    if (!await(() -> shipping.applied() == orders)) {
      return fail("consumed", shipping.applied(), orders);
    }
    int redelivered = redeliverFirstRecords(Math.min(5, orders));
    if (!await(() -> shipping.deliveries() == orders + redelivered)) {
      return fail("redelivered", shipping.deliveries() - orders, redelivered);
    }
    int shipments = count("SELECT count(*) FROM shipments");
    print("consumed", shipping.deliveries() + " deliveries (" + redelivered + " of them sent again on purpose), "
        + shipping.applied() + " applied once, " + shipments + " shipments");
    Object health = context.getBean("letterboxHealthIndicator", HealthIndicator.class).health().getStatus();
    print("health", "letterbox " + health);
    boolean ok = shipments == orders && shipping.applied() == orders;
    System.out.println("spring-orders: " + (ok ? "OK: every event written, published and consumed once"
        : "FAILED: " + shipments + " shipments for " + orders + " orders"));
    return ok ? 0 : 1;
  }

  /** Copies the first {@code n} published records (same key, value and id header) back onto the topic. */
  private int redeliverFirstRecords(int n) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("spring-orders-demo"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("outbox.event.order"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (first.size() < n && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (first.size() < n) {
            first.add(r);
          }
        });
      }
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> r : first) {
        producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers())).get();
      }
    }
    return first.size();
  }

  private int count(String sql) {
    Integer n = jdbc.queryForObject(sql, Integer.class);
    return n == null ? 0 : n;
  }

  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private static int fail(String step, int seen, int expected) {
    System.out.println("spring-orders: FAILED at " + step + ": " + seen + " of " + expected + " after " + WAIT.toSeconds() + " s");
    return 1;
  }

  private static void print(String step, String what) {
    System.out.printf("spring-orders: %-9s %s%n", step + ":", what);
  }
}
