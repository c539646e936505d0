package dev.letterbox.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.service.ServiceConfig;
import dev.letterbox.spring.internal.LetterboxSettings;
import dev.letterbox.spring.internal.RelayLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@code letterbox.*} binds with the service's YAML names, defaults and rules; no server is needed
 * (the relay's configuration is bound and checked whether or not the embedded relay runs).
 */
class LetterboxPropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LetterboxAutoConfiguration.class))
      .withBean(DataSource.class, SimpleDriverDataSource::new)
      .withPropertyValues("letterbox.schema.flyway=false");

  @Test
  void bindsTheServiceKeysUnderLetterboxWithTheirYamlNames() {
    runner.withPropertyValues("letterbox.kafka.bootstrap-servers=127.0.0.1:9",
            "letterbox.relay.polling.batch-size=42", "letterbox.relay.polling.idle-backoff-max=250ms",
            "letterbox.database.table-prefix=app_", "letterbox.cleanup.retention=2d",
            "letterbox.kafka.producer.linger.ms=7", "letterbox.relay.instance-id=orders-1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          RelayConfig relay = context.getBean(LetterboxSettings.class).relay();
          assertThat(relay.polling().batchSize()).isEqualTo(42);
          assertThat(relay.polling().idleBackoffMax()).isEqualTo(Duration.ofMillis(250));
          assertThat(relay.tables().prefix()).isEqualTo("app_");
          assertThat(relay.cleanup().retention()).isEqualTo(Duration.ofDays(2));
          assertThat(relay.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9");
          assertThat(relay.kafka().producer()).containsEntry("linger.ms", "7");
          assertThat(relay.instanceId()).isEqualTo("orders-1");
        });
  }

  @Test
  void defaultsAreTheServiceDefaults() {
    RelayConfig service = ServiceConfig.parse("relay.yaml", "database:\n  url: jdbc:postgresql://db/app\n"
        + "kafka:\n  bootstrap-servers: 127.0.0.1:9\nrelay:\n  instance-id: same\n", Map.of()).relay();
    runner.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9",
            "letterbox.relay.instance-id=same")
        .run(context -> {
          LetterboxSettings settings = context.getBean(LetterboxSettings.class);
          assertThat(settings.relay()).isEqualTo(service);
          assertThat(settings.writeMode()).isEqualTo(WriteMode.TABLE);
          assertThat(settings.relayEnabled()).isFalse();
          assertThat(settings.wakeOnCommit()).isTrue();
          assertThat(settings.schemaMigrate()).isFalse();
        });
  }

  @Test
  void withoutTheRelayNoBrokerIsNeededAndNoRelayBeanExists() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(RelayLifecycle.class);
      assertThat(context.getBean(LetterboxSettings.class).relayEnabled()).isFalse();
    });
  }

  @Test
  void anInvalidValueFailsStartupNamingTheProperty() {
    runner.withPropertyValues("letterbox.relay.polling.batch-size=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("letterbox.relay.polling.batch-size must be between 1 and 10000, was 0"));
  }

  @Test
  void aMisspeltPropertyFailsStartupWithTheNearestName() {
    runner.withPropertyValues("letterbox.relay.poling.batch-size=10").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("unknown key 'letterbox.relay.poling.batch-size'")
            .hasMessageContaining("did you mean 'letterbox.relay.polling.batch-size'"));
  }

  @Test
  void theRelayWithoutBrokersFailsStartupNamingTheProperty() {
    runner.withPropertyValues("letterbox.relay.enabled=true").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("missing required key letterbox.kafka.bootstrap-servers"));
  }

  @Test
  void serviceOnlyKeysAreRefusedBecauseTheApplicationOwnsThem() {
    runner.withPropertyValues("letterbox.database.url=jdbc:postgresql://db/app").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("unknown key 'letterbox.database.url'"));
  }

  @Test
  void notifyRelayIsOffByDefaultAndBindsAsADuration() {
    runner.run(context -> assertThat(context.getBean(LetterboxSettings.class).notifyRelay()).isNull());
    runner.withPropertyValues("letterbox.outbox.notify-relay=10ms").run(context ->
        assertThat(context.getBean(LetterboxSettings.class).notifyRelay()).isEqualTo(Duration.ofMillis(10)));
  }

  @Test
  void aNegativeNotifyRelayFailsStartupNamingTheProperty() {
    runner.withPropertyValues("letterbox.outbox.notify-relay=PT-1S").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("letterbox.outbox.notify-relay must be zero or more (zero notifies on every append),"
                + " was 'PT-1S'"));
  }

  @Test
  void theOutboxBeanWakesTheRelayOnlyWithNotifyRelay() {
    OutboxEvent event = OutboxEvent.builder().aggregateType("order").aggregateId("1").eventType("Placed").build();
    runner.run(context -> {
      List<String> executed = new ArrayList<>();
      context.getBean(Outbox.class).append(RecordingConnection.postgres(executed), event);
      assertThat(executed).singleElement().asString().startsWith("INSERT INTO \"outbox_event\"");
    });
    runner.withPropertyValues("letterbox.outbox.notify-relay=0s", "letterbox.database.table-prefix=app_")
        .run(context -> {
          List<String> executed = new ArrayList<>();
          context.getBean(Outbox.class).append(RecordingConnection.postgres(executed), event);
          assertThat(executed).hasSize(2).last().isEqualTo("SELECT pg_notify(?, '') [app_event]");
        });
  }
}
