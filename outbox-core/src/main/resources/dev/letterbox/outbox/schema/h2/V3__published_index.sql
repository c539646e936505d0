-- Letterbox outbox schema, version 3, H2.
-- Cleanup deletes PUBLISHED rows older than the retention: this index lets a run read only the
-- rows it deletes instead of every PUBLISHED row. Idempotent (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS "outbox_event_published_idx" ON "outbox_event" ("status", "published_at");
