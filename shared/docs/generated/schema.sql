-- ClickHouse DDL for database edge_events, generated from catalog/ (npm run generate).

CREATE DATABASE IF NOT EXISTS `edge_events`;

CREATE TABLE IF NOT EXISTS `edge_events`.`events` (
  `event_id` String,
  `dt` DateTime('UTC'),
  `event` LowCardinality(String),
  `user_id` String,
  `screen` String,
  `elem` String,
  `amount` Int64,
  `browser` LowCardinality(String),
  `browser_version` LowCardinality(String),
  `os` LowCardinality(String),
  `device_type` LowCardinality(String),
  `is_bot` UInt8,
  `country` LowCardinality(String),
  `region` LowCardinality(String),
  `city` LowCardinality(String),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`dt`)
ORDER BY (`dt`, `event`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`page_visit` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `page_id` Int64,
  `browser` LowCardinality(String),
  `browser_version` LowCardinality(String),
  `os` LowCardinality(String),
  `device_type` LowCardinality(String),
  `is_bot` UInt8,
  `country` LowCardinality(String),
  `region` LowCardinality(String),
  `city` LowCardinality(String),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`searching` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `query` String,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`filtering` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `price_min` Nullable(Float64),
  `price_max` Nullable(Float64),
  `rating_min` Nullable(Float64),
  `rating_max` Nullable(Float64),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_add` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `item_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_delete` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `item_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`ordering` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `order_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_cancel` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `order_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_review` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `review_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_creating` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `review_id` Int64,
  `item_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`registering` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`logging_in` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `login_type` UInt8,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`profile_edit` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`mailing_subscription` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `subscription_type` UInt8,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`support_contact` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `support_type` UInt8,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`recommendation_view` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `duration_seconds` Float64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`sale_participation` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `sale_id` Int64,
  `item_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_comparison` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `first_item_id` Int64,
  `second_item_id` Int64,
  `comparison_type` UInt8,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_history_viewing` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `duration_seconds` Float64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_return` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `item_id` Int64,
  `order_id` Int64,
  `reason_type` UInt8,
  `reason_user_message` Nullable(String),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`promo_usage` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `coupon_id` Int64,
  `order_id` Int64,
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`category_view` (
  `event_id` String,
  `timestamp` DateTime('UTC'),
  `user_id` Int64,
  `category_id` Int64,
  `parent_category_id` Nullable(Int64),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `user_id`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`movie_views` (
  `event_id` String,
  `user_id` UUID,
  `movie_id` UUID,
  `movie_time_offset` Int64,
  `created_at` DateTime('UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`created_at`)
ORDER BY (`user_id`, `movie_id`, `created_at`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`latest_view` (
  `user_id` UUID,
  `movie_id` UUID,
  `movie_time_offset` Int64,
  `created_at` DateTime('UTC')
) ENGINE = ReplacingMergeTree(`created_at`)
ORDER BY (`user_id`, `movie_id`);

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`latest_view_mv` TO `edge_events`.`latest_view` AS
SELECT `user_id`, `movie_id`, `movie_time_offset`, `created_at` FROM `edge_events`.`movie_views`;

CREATE TABLE IF NOT EXISTS `edge_events`.`playback` (
  `event_id` String,
  `user_id` String,
  `content_id` String,
  `session_id` String,
  `action` LowCardinality(String),
  `position_seconds` Float64,
  `client_time` DateTime('UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`client_time`)
ORDER BY (`content_id`, `client_time`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`segment_events` (
  `event_id` String,
  `type` LowCardinality(String),
  `event` LowCardinality(String),
  `name` String,
  `user_id` String,
  `anonymous_id` String,
  `group_id` String,
  `previous_id` String,
  `properties` String,
  `traits` String,
  `context` String,
  `timestamp` DateTime('UTC'),
  `source` LowCardinality(String),
  `browser` LowCardinality(String),
  `browser_version` LowCardinality(String),
  `os` LowCardinality(String),
  `device_type` LowCardinality(String),
  `is_bot` UInt8,
  `country` LowCardinality(String),
  `region` LowCardinality(String),
  `city` LowCardinality(String),
  `received_at` DateTime64(3, 'UTC'),
  `catalog_version` UInt32,
  `inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(`timestamp`)
ORDER BY (`timestamp`, `type`, `event_id`)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `edge_events`.`events_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`events_daily_mv` TO `edge_events`.`events_daily` AS
SELECT toDate(`dt`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`events` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`events_audience` (
  `day` Date,
  `is_bot` UInt8,
  `country` String,
  `device_type` String,
  `browser` String,
  `os` String,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY (day, `is_bot`, `country`, `device_type`, `browser`, `os`);

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`events_audience_mv` TO `edge_events`.`events_audience` AS
SELECT toDate(`dt`) AS day, `is_bot`, `country`, `device_type`, `browser`, `os`, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`events` GROUP BY day, `is_bot`, `country`, `device_type`, `browser`, `os`;

CREATE TABLE IF NOT EXISTS `edge_events`.`events_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`events_day_rows_mv` TO `edge_events`.`events_day_rows` AS
SELECT toDate(`dt`) AS day, count() AS rows FROM `edge_events`.`events` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`page_visit_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`page_visit_daily_mv` TO `edge_events`.`page_visit_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`page_visit` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`page_visit_audience` (
  `day` Date,
  `is_bot` UInt8,
  `country` String,
  `device_type` String,
  `browser` String,
  `os` String,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY (day, `is_bot`, `country`, `device_type`, `browser`, `os`);

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`page_visit_audience_mv` TO `edge_events`.`page_visit_audience` AS
SELECT toDate(`timestamp`) AS day, `is_bot`, `country`, `device_type`, `browser`, `os`, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`page_visit` GROUP BY day, `is_bot`, `country`, `device_type`, `browser`, `os`;

CREATE TABLE IF NOT EXISTS `edge_events`.`page_visit_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`page_visit_day_rows_mv` TO `edge_events`.`page_visit_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`page_visit` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`searching_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`searching_daily_mv` TO `edge_events`.`searching_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`searching` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`searching_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`searching_day_rows_mv` TO `edge_events`.`searching_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`searching` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`filtering_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`filtering_daily_mv` TO `edge_events`.`filtering_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`filtering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`filtering_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`filtering_day_rows_mv` TO `edge_events`.`filtering_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`filtering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_add_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`cart_add_daily_mv` TO `edge_events`.`cart_add_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`cart_add` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_add_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`cart_add_day_rows_mv` TO `edge_events`.`cart_add_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`cart_add` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_delete_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`cart_delete_daily_mv` TO `edge_events`.`cart_delete_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`cart_delete` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`cart_delete_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`cart_delete_day_rows_mv` TO `edge_events`.`cart_delete_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`cart_delete` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`ordering_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`ordering_daily_mv` TO `edge_events`.`ordering_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`ordering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`ordering_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`ordering_day_rows_mv` TO `edge_events`.`ordering_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`ordering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_cancel_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`order_cancel_daily_mv` TO `edge_events`.`order_cancel_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`order_cancel` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_cancel_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`order_cancel_day_rows_mv` TO `edge_events`.`order_cancel_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`order_cancel` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_review_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`review_review_daily_mv` TO `edge_events`.`review_review_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`review_review` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_review_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`review_review_day_rows_mv` TO `edge_events`.`review_review_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`review_review` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_creating_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`review_creating_daily_mv` TO `edge_events`.`review_creating_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`review_creating` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`review_creating_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`review_creating_day_rows_mv` TO `edge_events`.`review_creating_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`review_creating` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`registering_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`registering_daily_mv` TO `edge_events`.`registering_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`registering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`registering_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`registering_day_rows_mv` TO `edge_events`.`registering_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`registering` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`logging_in_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`logging_in_daily_mv` TO `edge_events`.`logging_in_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`logging_in` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`logging_in_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`logging_in_day_rows_mv` TO `edge_events`.`logging_in_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`logging_in` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`profile_edit_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`profile_edit_daily_mv` TO `edge_events`.`profile_edit_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`profile_edit` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`profile_edit_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`profile_edit_day_rows_mv` TO `edge_events`.`profile_edit_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`profile_edit` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`mailing_subscription_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`mailing_subscription_daily_mv` TO `edge_events`.`mailing_subscription_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`mailing_subscription` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`mailing_subscription_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`mailing_subscription_day_rows_mv` TO `edge_events`.`mailing_subscription_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`mailing_subscription` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`support_contact_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`support_contact_daily_mv` TO `edge_events`.`support_contact_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`support_contact` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`support_contact_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`support_contact_day_rows_mv` TO `edge_events`.`support_contact_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`support_contact` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`recommendation_view_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`recommendation_view_daily_mv` TO `edge_events`.`recommendation_view_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`recommendation_view` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`recommendation_view_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`recommendation_view_day_rows_mv` TO `edge_events`.`recommendation_view_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`recommendation_view` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`sale_participation_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`sale_participation_daily_mv` TO `edge_events`.`sale_participation_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`sale_participation` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`sale_participation_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`sale_participation_day_rows_mv` TO `edge_events`.`sale_participation_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`sale_participation` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_comparison_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`item_comparison_daily_mv` TO `edge_events`.`item_comparison_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`item_comparison` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_comparison_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`item_comparison_day_rows_mv` TO `edge_events`.`item_comparison_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`item_comparison` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_history_viewing_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`order_history_viewing_daily_mv` TO `edge_events`.`order_history_viewing_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`order_history_viewing` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`order_history_viewing_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`order_history_viewing_day_rows_mv` TO `edge_events`.`order_history_viewing_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`order_history_viewing` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_return_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`item_return_daily_mv` TO `edge_events`.`item_return_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`item_return` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`item_return_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`item_return_day_rows_mv` TO `edge_events`.`item_return_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`item_return` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`promo_usage_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`promo_usage_daily_mv` TO `edge_events`.`promo_usage_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`promo_usage` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`promo_usage_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`promo_usage_day_rows_mv` TO `edge_events`.`promo_usage_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`promo_usage` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`category_view_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`category_view_daily_mv` TO `edge_events`.`category_view_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`category_view` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`category_view_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`category_view_day_rows_mv` TO `edge_events`.`category_view_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`category_view` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`movie_views_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`movie_views_daily_mv` TO `edge_events`.`movie_views_daily` AS
SELECT toDate(`created_at`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`movie_views` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`movie_views_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`movie_views_day_rows_mv` TO `edge_events`.`movie_views_day_rows` AS
SELECT toDate(`created_at`) AS day, count() AS rows FROM `edge_events`.`movie_views` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`playback_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`playback_daily_mv` TO `edge_events`.`playback_daily` AS
SELECT toDate(`client_time`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`playback` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`playback_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`playback_day_rows_mv` TO `edge_events`.`playback_day_rows` AS
SELECT toDate(`client_time`) AS day, count() AS rows FROM `edge_events`.`playback` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`segment_events_daily` (
  `day` Date,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`segment_events_daily_mv` TO `edge_events`.`segment_events_daily` AS
SELECT toDate(`timestamp`) AS day, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`segment_events` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`segment_events_audience` (
  `day` Date,
  `is_bot` UInt8,
  `country` String,
  `device_type` String,
  `browser` String,
  `os` String,
  `events` AggregateFunction(uniq, String),
  `users` AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
ORDER BY (day, `is_bot`, `country`, `device_type`, `browser`, `os`);

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`segment_events_audience_mv` TO `edge_events`.`segment_events_audience` AS
SELECT toDate(`timestamp`) AS day, `is_bot`, `country`, `device_type`, `browser`, `os`, uniqState(event_id) AS events, uniqState(toString(user_id)) AS users FROM `edge_events`.`segment_events` GROUP BY day, `is_bot`, `country`, `device_type`, `browser`, `os`;

CREATE TABLE IF NOT EXISTS `edge_events`.`segment_events_day_rows` (
  `day` Date,
  `rows` UInt64
) ENGINE = SummingMergeTree()
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`segment_events_day_rows_mv` TO `edge_events`.`segment_events_day_rows` AS
SELECT toDate(`timestamp`) AS day, count() AS rows FROM `edge_events`.`segment_events` GROUP BY day;

CREATE TABLE IF NOT EXISTS `edge_events`.`events_active_days` (
  `user_id` String,
  `is_bot` UInt8,
  `country` String,
  `device_type` String,
  `days` AggregateFunction(groupBitmap, UInt32)
) ENGINE = AggregatingMergeTree()
ORDER BY (user_id, `is_bot`, `country`, `device_type`);

CREATE MATERIALIZED VIEW IF NOT EXISTS `edge_events`.`events_active_days_mv` TO `edge_events`.`events_active_days` AS
SELECT toString(user_id) AS user_id, `is_bot`, `country`, `device_type`, groupBitmapState(toUInt32(toDate(`dt`))) AS days FROM `edge_events`.`events` GROUP BY user_id, `is_bot`, `country`, `device_type`;
