package dev.letterbox.spring.autoconfigure;

import dev.letterbox.outbox.Inbox;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.spring.SpringKafkaInbox;
import dev.letterbox.spring.TransactionalOutbox;
import dev.letterbox.spring.internal.LetterboxSettings;
import dev.letterbox.spring.internal.PropertiesBinder;
import dev.letterbox.spring.internal.RelayHealthIndicator;
import dev.letterbox.spring.internal.RelayLifecycle;
import dev.letterbox.spring.internal.SchemaInitializer;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.util.ClassUtils;

/**
 * Letterbox's beans for an application with one {@link DataSource}: the {@link Outbox},
 * {@link TransactionalOutbox} and {@link Inbox}; the outbox schema at start-up; with
 * {@code letterbox.relay.enabled=true} the embedded relay ({@link RelayLifecycle}, meters on the
 * application's {@link MeterRegistry}) and its Actuator health indicator {@code letterbox}; with
 * Spring Kafka the {@link SpringKafkaInbox}. Every bean backs off when the application defines its own.
 * Stateless; the beans it creates are thread-safe.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
    "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({Outbox.class, DataSourceUtils.class})
@ConditionalOnBean(DataSource.class)
public class LetterboxAutoConfiguration {

  private static final String RELAY_ENABLED = "letterbox.relay.enabled";

  /** The bound {@code letterbox.*} properties; invalid ones fail start-up naming the property. */
  @Bean
  @ConditionalOnMissingBean
  public LetterboxSettings letterboxSettings(Environment environment) {
    return PropertiesBinder.bind(environment);
  }

  /** Migrates the outbox schema, if asked, before anything appends or relays. */
  @Bean
  @ConditionalOnMissingBean
  public SchemaInitializer letterboxSchemaInitializer(LetterboxSettings settings, DataSource dataSource,
                                                      Environment environment) {
    SchemaInitializer.Mode mode = SchemaInitializer.Mode.NONE;
    if (settings.schemaMigrate()) {
      mode = SchemaInitializer.Mode.LETTERBOX;
    } else if (settings.schemaFlyway() && ClassUtils.isPresent("org.flywaydb.core.Flyway", getClass().getClassLoader())
        && environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
      mode = SchemaInitializer.Mode.FLYWAY;
    }
    return new SchemaInitializer(mode, settings.tables(), dataSource);
  }

  /** The outbox of {@code letterbox.database.*}, {@code letterbox.relay.write-mode} and {@code letterbox.outbox.*}. */
  @Bean
  @ConditionalOnMissingBean
  public Outbox outbox(LetterboxSettings settings) {
    Outbox.Builder builder = Outbox.builder().tables(settings.tables()).writeMode(settings.writeMode());
    if (settings.notifyRelay() != null) {
      builder.notifyRelay(settings.notifyRelay());
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public Inbox inbox(LetterboxSettings settings) {
    return Inbox.of(settings.tables());
  }

  /** Appends in the current transaction; wakes the embedded relay at commit when it runs and {@code wake-on-commit} is on. */
  @Bean
  @ConditionalOnMissingBean
  public TransactionalOutbox transactionalOutbox(Outbox outbox, DataSource dataSource, LetterboxSettings settings,
                                                 SchemaInitializer schema, ObjectProvider<RelayLifecycle> relay) {
    RelayLifecycle lifecycle = settings.wakeOnCommit() ? relay.getIfAvailable() : null;
    return TransactionalOutbox.of(outbox, dataSource, lifecycle == null ? null : lifecycle::wakeUp);
  }

  /** The embedded relay, started with the context and stopped before the DataSource closes. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = RELAY_ENABLED, havingValue = "true")
  public RelayLifecycle letterboxRelay(LetterboxSettings settings, DataSource dataSource, SchemaInitializer schema,
                                       ObjectProvider<MeterRegistry> registry) {
    return new RelayLifecycle(settings.relay(), dataSource, registry.getIfUnique());
  }

  /** The relay's readiness as the Actuator health indicator {@code letterbox}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(name = RELAY_ENABLED, havingValue = "true")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "letterboxHealthIndicator")
    RelayHealthIndicator letterboxHealthIndicator(RelayLifecycle relay, LetterboxSettings settings) {
      return new RelayHealthIndicator(relay, settings.readiness());
    }
  }

  /** The inbox for {@code @KafkaListener} methods. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.kafka.support.KafkaUtils")
  static class KafkaInboxConfiguration {
    @Bean
    @ConditionalOnMissingBean
    SpringKafkaInbox springKafkaInbox(Inbox inbox, DataSource dataSource, SchemaInitializer schema) {
      return SpringKafkaInbox.of(inbox, dataSource);
    }
  }
}
