-- The test application's own V1: Letterbox's V1..V3 run in their own history table, so this
-- version number does not collide with them.
CREATE TABLE orders (
  id     varchar(64) NOT NULL PRIMARY KEY,
  amount integer     NOT NULL
);
CREATE TABLE applied_events (
  event_id varchar(64) NOT NULL PRIMARY KEY
);
