-- Letterbox outbox schema, version 2, PostgreSQL 13+.
-- While an aggregate has a PARKED event, the relay holds back its later events: every claim asks
-- "is there an earlier PARKED event of this aggregate?". Without this index that question is a
-- sequential scan of the whole table on each claim (110 ms per claim at 1M rows, and growing with
-- the table). PARKED rows are few, so the partial index is tiny. Idempotent (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS "outbox_event_parked_idx" ON "outbox_event" ("aggregatetype", "aggregateid", "seq")
  WHERE "status" = 'PARKED';
