-- Letterbox outbox schema, version 1, MariaDB 10.6+ and MySQL 8.0.13+.
-- Written with the default names ("outbox_" prefix, current database) so Flyway or Liquibase can
-- run it as is. OutboxSchema.migrate() runs these same statements with the configured database
-- and prefix. Every statement is idempotent (IF NOT EXISTS); indexes are declared inline because
-- MySQL has no CREATE INDEX IF NOT EXISTS.

-- The outbox. Column names follow Debezium's EventRouter defaults (id, aggregatetype, aggregateid,
-- type, payload), so a plain INSERT of those five columns (id may be left out) is a valid row.
-- seq is the primary key: InnoDB clusters rows by it, so rows are stored in claim order.
-- Claims read only PENDING rows in seq order: the (status, seq) index keeps a claim O(batch)
-- however many published rows the table holds.
CREATE TABLE IF NOT EXISTS `outbox_event` (
  `id`              char(36)     NOT NULL DEFAULT (uuid()),
  `aggregatetype`   varchar(255) NOT NULL,
  `aggregateid`     varchar(255) NOT NULL,
  `type`            varchar(255) NOT NULL,
  `payload`         longblob     NULL,
  `headers`         longtext     NULL,
  `topic`           varchar(249) NULL,
  `shard`           smallint     AS (crc32(`aggregateid`) % 64) STORED,
  `seq`             bigint       NOT NULL AUTO_INCREMENT,
  `created_at`      timestamp(6) NOT NULL DEFAULT current_timestamp(6),
  `status`          varchar(16)  NOT NULL DEFAULT 'PENDING',
  `published_at`    timestamp(6) NULL DEFAULT NULL,
  `attempts`        int          NOT NULL DEFAULT 0,
  `next_attempt_at` timestamp(6) NULL DEFAULT NULL,
  `last_error`      text         NULL,
  PRIMARY KEY (`seq`),
  UNIQUE KEY `outbox_event_id_key` (`id`),
  KEY `outbox_event_status_seq_idx` (`status`, `seq`),
  CONSTRAINT `outbox_event_status_check` CHECK (`status` IN ('PENDING', 'PUBLISHED', 'PARKED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Leases: one row per shard (shard-0 .. shard-63) and per singleton job; epoch is the fencing token.
CREATE TABLE IF NOT EXISTS `outbox_lease` (
  `name`       varchar(64)  NOT NULL,
  `owner`      varchar(255) NULL,
  `epoch`      bigint       NOT NULL DEFAULT 0,
  `expires_at` timestamp(6) NULL DEFAULT NULL,
  PRIMARY KEY (`name`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The inbox of idempotent consumers: one row per (consumer, event id) applied; purge deletes by age.
CREATE TABLE IF NOT EXISTS `outbox_inbox` (
  `consumer`     varchar(255) NOT NULL,
  `event_id`     varchar(255) NOT NULL,
  `processed_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6),
  PRIMARY KEY (`consumer`, `event_id`),
  KEY `outbox_inbox_processed_at_idx` (`processed_at`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
