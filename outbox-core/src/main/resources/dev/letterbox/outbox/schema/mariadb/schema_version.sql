-- The version table OutboxSchema.migrate() keeps. It is needed with Flyway or Liquibase too: the
-- relay service's run, status, parked and replay read it and refuse to start (exit code 4) unless it
-- holds the latest version. Run this script with the V<n> scripts and insert one row per version
-- they applied (docs/outbox-core.md, "Plain SQL for Flyway and Liquibase"), or run `migrate` once.
CREATE TABLE IF NOT EXISTS `outbox_schema_version` (
  `version`      int          NOT NULL,
  `description`  varchar(255) NOT NULL,
  `installed_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6),
  PRIMARY KEY (`version`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
