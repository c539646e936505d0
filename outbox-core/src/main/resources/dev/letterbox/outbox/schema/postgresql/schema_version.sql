-- The version table OutboxSchema.migrate() keeps (not needed when Flyway/Liquibase run V<n> scripts).
CREATE TABLE IF NOT EXISTS "outbox_schema_version" (
  "version"      integer      NOT NULL,
  "description"  varchar(255) NOT NULL,
  "installed_at" timestamptz  NOT NULL DEFAULT now(),
  PRIMARY KEY ("version")
);
