-- The version table OutboxSchema.migrate() keeps (not needed when Flyway/Liquibase run V<n> scripts).
CREATE TABLE IF NOT EXISTS "outbox_schema_version" (
  "version"      INTEGER                  NOT NULL,
  "description"  CHARACTER VARYING(255)   NOT NULL,
  "installed_at" TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY ("version")
);
