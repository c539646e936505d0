-- The version table OutboxSchema.migrate() keeps (not needed when Flyway/Liquibase run V<n> scripts).
CREATE TABLE IF NOT EXISTS `outbox_schema_version` (
  `version`      int          NOT NULL,
  `description`  varchar(255) NOT NULL,
  `installed_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6),
  PRIMARY KEY (`version`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
