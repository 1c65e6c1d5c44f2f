// Movie view progress of seed 004 (`POST /v1/producer/views`): table `movie_views`, plus
// `latest_view`, the last offset per user and movie, kept by a materialized view.
import { eventTime, int, uuid } from './columns.ts';
import { defineEventType } from './event-type.ts';

export const movieView = defineEventType({
  name: 'MovieView',
  table: 'movie_views',
  description: 'How far a user has watched a movie (seed 004); movie_time_offset as the player reports it.',
  timeField: 'created_at',
  orderBy: ['user_id', 'movie_id', 'created_at', 'event_id'],
  fields: {
    user_id: uuid(),
    movie_id: uuid(),
    movie_time_offset: int(),
    created_at: eventTime('optional'),
  },
  derived: (db) => [
    `CREATE TABLE IF NOT EXISTS ${db}.latest_view (
  user_id UUID,
  movie_id UUID,
  movie_time_offset Int64,
  created_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(created_at)
ORDER BY (user_id, movie_id)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.latest_view_mv TO ${db}.latest_view AS
SELECT user_id, movie_id, movie_time_offset, created_at FROM ${db}.movie_views`,
  ],
});
