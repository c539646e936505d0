package dev.letterbox.examples.springorders;

import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The orders service. Started with {@code --spring.datasource.url=...} it is a plain Spring Boot
 * service; started without, it is the one-command demo: an embedded PostgreSQL and Kafka broker
 * start in a temporary folder, the service runs on a free port, {@link Demo} places orders through
 * {@code POST /orders}, checks that each event was written, published and consumed once, and the
 * process exits (code 0 when every check passed) after deleting the folder. Holds no state.
 */
@SpringBootApplication
public class SpringOrdersApplication {

  public static void main(String[] args) throws Exception {
    if (Arrays.stream(args).anyMatch(a -> a.startsWith("--spring.datasource.url"))
        || System.getenv("SPRING_DATASOURCE_URL") != null) {
      SpringApplication.run(SpringOrdersApplication.class, args);
      return;
    }
    int orders = Arrays.stream(args).filter(a -> a.startsWith("--orders=")).findFirst()
        .map(a -> Integer.parseInt(a.substring("--orders=".length()))).orElse(20);
    Path folder = Files.createTempDirectory("letterbox-spring-orders-");
    int exit;
    try (EmbeddedPostgresServer postgres = PostgresServer.startEmbedded(folder.resolve("postgres"), 0);
         TestDatabase db = postgres.createDatabase("orders");
         EmbeddedKafkaBroker kafka = KafkaServer.startEmbedded(folder.resolve("kafka"))) {
      kafka.createTopic("outbox.event.order", 3);
      SpringApplication app = new SpringApplication(SpringOrdersApplication.class);
      app.setDefaultProperties(Map.of("spring.datasource.url", db.jdbcUrl(),
          "spring.datasource.username", db.username(),
          "spring.datasource.password", db.password() == null ? "" : db.password(),
          "spring.kafka.bootstrap-servers", kafka.bootstrapServers(), "server.port", "0"));
      try (ConfigurableApplicationContext context = app.run(args)) {
        exit = new Demo(context, kafka).run(orders);
      }
    } finally {
      deleteQuietly(folder);
    }
    System.exit(exit);
  }

  private static void deleteQuietly(Path folder) {
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("spring-orders: could not delete " + folder + ": " + e.getMessage());
    }
  }
}
