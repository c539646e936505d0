-- Letterbox outbox schema, version 3, PostgreSQL 13+.
-- Cleanup deletes PUBLISHED rows older than the retention. Without an index that search is a
-- sequential scan of the whole table on every cleanup run, even when no row is old enough (2.9 to
-- 14 s per run at 10M rows, competing with the relay's claims and marks). This partial index holds
-- the PUBLISHED rows by publication time, so a run reads only the rows it deletes. It costs one
-- index entry per mark (a mark already writes a new row version). Idempotent (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS "outbox_event_published_idx" ON "outbox_event" ("published_at")
  WHERE "status" = 'PUBLISHED';
