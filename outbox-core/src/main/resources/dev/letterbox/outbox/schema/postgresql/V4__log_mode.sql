-- Letterbox outbox schema, version 4, PostgreSQL 13+: what the relay's log mode needs
-- (relay.polling.mode: log, docs/relay.md "Log mode"). Online: no statement rewrites or scans the
-- event table; the one strong lock is held for a few catalog updates only.
--
-- What each step locks:
--   1. CREATE SEQUENCE: nothing the writers use.
--   2. LOCK TABLE ... ACCESS EXCLUSIVE: waits for the transactions that are using the event table,
--      then blocks its readers and writers until this migration commits (milliseconds: catalog
--      changes only). lock_timeout bounds the wait so a long transaction elsewhere fails the
--      migration (retry it) instead of queueing every writer behind it.
--   3. setval, DROP IDENTITY, SET DEFAULT, OWNED BY: catalog only, under that lock.
--   4. ADD COLUMN position (nullable, no default): catalog only, a brief ACCESS EXCLUSIVE on the
--      small lease table.
SET LOCAL lock_timeout = '10s';

-- seq was an identity, drawn before the writing transaction had a transaction id. Log mode reads
-- seq only up to a horizon below which no transaction can still commit a row, which holds only if
-- seq is drawn after the xid exists: the CASE evaluates pg_current_xact_id() (assigning the xid)
-- before nextval. CACHE 1 keeps the sequence's last value exact for the horizon. Writers never
-- supply seq.
CREATE SEQUENCE IF NOT EXISTS "outbox_event_seq" CACHE 1;

LOCK TABLE "outbox_event" IN ACCESS EXCLUSIVE MODE;

-- Continue after the identity's last value (never backwards, also when this script runs again).
SELECT setval('"outbox_event_seq"', GREATEST(
    COALESCE(pg_sequence_last_value(pg_get_serial_sequence('"outbox_event"', 'seq')::regclass), 0),
    COALESCE(pg_sequence_last_value('"outbox_event_seq"'::regclass), 0)) + 1, false);

ALTER TABLE "outbox_event" ALTER COLUMN "seq" DROP IDENTITY IF EXISTS;

ALTER TABLE "outbox_event" ALTER COLUMN "seq"
  SET DEFAULT CASE WHEN pg_current_xact_id() IS NOT NULL THEN nextval('"outbox_event_seq"'::regclass) END;

ALTER SEQUENCE "outbox_event_seq" OWNED BY "outbox_event"."seq";

-- Per shard lease: the log-mode read position (every event of the shard with seq <= position was
-- published). NULL until a log-mode relay first owns the shard.
ALTER TABLE "outbox_lease" ADD COLUMN IF NOT EXISTS "position" bigint;
