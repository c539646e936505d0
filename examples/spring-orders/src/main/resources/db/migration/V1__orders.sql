-- The orders service's own tables. The outbox tables come from Letterbox's scripts, which Flyway
-- runs with their own history table (outbox_flyway_history).
CREATE TABLE orders (
  id         uuid         PRIMARY KEY,
  customer   varchar(100) NOT NULL,
  amount     integer      NOT NULL,
  created_at timestamptz  NOT NULL DEFAULT now()
);

-- The shipping consumer's table: one shipment per order, written once per event.
CREATE TABLE shipments (
  order_id   uuid        PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
