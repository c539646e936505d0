-- Letterbox outbox schema, version 2, PostgreSQL 13+. Idempotent (IF NOT EXISTS).
--
-- The claim leaves out events whose aggregate has an earlier PARKED event (NOT EXISTS ... status =
-- 'PARKED' AND same aggregate AND lower seq). Version 1 had no index that answers that, so every
-- claim read the whole table once (a Seq Scan on status = 'PARKED'): O(table), not O(batch), and
-- minutes per claim at 10M rows. This partial index holds only PARKED rows (normally none or a
-- few), so the check is one probe of a nearly empty index and costs nothing on the write path.
-- Building it reads the table once under a SHARE lock (writers wait): on a large installed table,
-- create it first with CREATE INDEX CONCURRENTLY under this name, then migrate.
CREATE INDEX IF NOT EXISTS "outbox_event_parked_idx" ON "outbox_event" ("aggregatetype", "aggregateid", "seq")
  WHERE "status" = 'PARKED';
