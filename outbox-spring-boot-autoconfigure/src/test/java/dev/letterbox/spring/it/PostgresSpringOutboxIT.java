package dev.letterbox.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.relay.Relay;
import dev.letterbox.spring.internal.RelayHealthIndicator;
import dev.letterbox.spring.internal.RelayLifecycle;
import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The acceptance suite on PostgreSQL, plus the checks that need a second context or a broker outage. */
class PostgresSpringOutboxIT extends AbstractSpringOutboxIT {

  static final TestDatabase DB = PostgresServer.shared().createDatabase("SpringOutboxIT");
  static final EmbeddedKafkaBroker BROKER = startBroker();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    register(registry, DB, BROKER);
  }

  @Autowired RelayHealthIndicator health;

  @Override
  TestDatabase db() {
    return DB;
  }

  @Override
  EmbeddedKafkaBroker broker() {
    return BROKER;
  }

  @Test
  void healthGoesDownWhileTheBrokerIsStoppedAndUpAgainAfter() {
    await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.UP));
    BROKER.stop();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.DOWN));
      assertThat(health.health().getDetails()).containsEntry("kafka", "DOWN").containsEntry("database", "UP");
    } finally {
      BROKER.start();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> health.health().getStatus().equals(Status.UP));
    assertThat(health.health().getDetails()).containsEntry("kafka", "UP").containsEntry("phase", "running");
  }

  @Test
  void relayStartsWithASecondContextAndStopsWithItLeavingNoThreadConnectionOrLease() {
    Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger relayLogs = (Logger) LoggerFactory.getLogger("dev.letterbox.relay");
    relayLogs.addAppender(logs);
    String instance = "stop-test";
    String url = DB.jdbcUrl() + (DB.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=letterbox-stop-test";
    // keep this context from re-initialising Logback, which would drop the appender above
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    ConfigurableApplicationContext context;
    try {
      context = new SpringApplicationBuilder(TestApplication.class).run(
        "--spring.datasource.url=" + url, "--spring.datasource.username=" + DB.username(),
        "--spring.datasource.password=" + (DB.password() == null ? "" : DB.password()),
        "--spring.kafka.bootstrap-servers=" + BROKER.bootstrapServers(),
        "--spring.kafka.listener.auto-startup=false",
        "--letterbox.relay.enabled=true", "--letterbox.relay.instance-id=" + instance,
        "--letterbox.relay.polling.lease-ttl=5s");
    } finally {
      System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
    }
    try {
      RelayLifecycle relay = context.getBean(RelayLifecycle.class);
      assertThat(relay.isRunning()).isTrue();
      await().atMost(Duration.ofSeconds(60)).until(() -> leasesOwnedBy(instance) > 0);
      // the relay's own threads log with its instance id in the MDC (its lease thread logs the leases it took)
      await().atMost(Duration.ofSeconds(30)).until(() -> relayThreadEvents(logs).stream()
          .anyMatch(e -> instance.equals(e.getMDCPropertyMap().get(Relay.MDC_INSTANCE))));
      assertThat(connections("letterbox-stop-test")).isPositive();
    } finally {
      context.close();
      relayLogs.detachAppender(logs);
    }
    assertThat(leasesOwnedBy(instance)).as("leases released at stop").isZero();
    // every relay thread's event (this relay's and the shared context's) has an instance id in the MDC
    assertThat(relayThreadEvents(logs)).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey(Relay.MDC_INSTANCE));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> connections("letterbox-stop-test") == 0);

    // the second context found every outbox migration applied and ran none again
    assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_flyway_history WHERE version IS NOT NULL AND version <> '0'",
        Integer.class)).isEqualTo(OutboxSchema.latestVersion());
  }

  private static java.util.List<ILoggingEvent> relayThreadEvents(ListAppender<ILoggingEvent> logs) {
    synchronized (logs) { // AppenderBase appends under the appender's lock
      return logs.list.stream().filter(e -> e.getThreadName().startsWith("outbox-relay-")).toList();
    }
  }

  private int leasesOwnedBy(String owner) {
    return jdbc.queryForObject("SELECT count(*) FROM outbox_lease WHERE owner = ?", Integer.class, owner);
  }

  private int connections(String applicationName) {
    return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", Integer.class,
        applicationName);
  }

  /** Threads started since {@code before} that are still alive, except the JVM's and the test runner's own. */
  private static Set<String> newThreads(Set<Long> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t.getId()))
        .map(Thread::getName)
        .filter(n -> !n.startsWith("Attach Listener") && !n.startsWith("ForkJoinPool.commonPool")
            && !n.startsWith("awaitility"))
        .collect(Collectors.toSet());
  }
}
