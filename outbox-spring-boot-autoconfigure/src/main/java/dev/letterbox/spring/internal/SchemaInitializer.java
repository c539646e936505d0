package dev.letterbox.spring.internal;

import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.SchemaStatus;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the outbox tables up to date while the context starts, before any bean that appends or
 * relays is created: with {@code OutboxSchema.migrate} ({@code letterbox.schema.migrate=true}),
 * with Flyway ({@link FlywayOutboxMigration}), or not at all. Thread-safe (it runs once).
 */
public final class SchemaInitializer implements InitializingBean {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaInitializer.class);

  /** How the schema is brought up to date. */
  public enum Mode { LETTERBOX, FLYWAY, NONE }

  private final Mode mode;
  private final OutboxTables tables;
  private final DataSource dataSource;

  /** Migrates {@code tables} on {@code dataSource} in {@code mode} when initialised. */
  public SchemaInitializer(Mode mode, OutboxTables tables, DataSource dataSource) {
    this.mode = mode;
    this.tables = tables;
    this.dataSource = dataSource;
  }

  @Override
  public void afterPropertiesSet() {
    switch (mode) {
      case LETTERBOX -> {
        SchemaStatus status = OutboxSchema.of(tables).migrate(dataSource);
        LOG.atInfo().addKeyValue("version", status.current()).log("outbox schema migrated");
      }
      case FLYWAY -> FlywayOutboxMigration.migrate(dataSource, tables);
      case NONE -> { }
    }
  }

  /** The mode in use. */
  public Mode mode() {
    return mode;
  }
}
