-- Letterbox outbox schema, version 3, MariaDB 10.6+ and MySQL 8.0.13+.
-- Cleanup deletes PUBLISHED rows older than the retention. Without this index the search walks
-- every PUBLISHED row on each cleanup run, even when none is old enough; with it a run reads only
-- the rows it deletes, in (published_at, seq) order. Written without IF NOT EXISTS, which MySQL
-- does not accept for indexes: OutboxSchema.migrate() treats "duplicate key name" as done.
CREATE INDEX `outbox_event_published_idx` ON `outbox_event` (`status`, `published_at`);
