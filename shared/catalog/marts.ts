// Marts: small tables that materialized views keep from the event tables as rows arrive, so a report over months
// reads a few hundred rows, not millions (seed 000's DAU/WAU/MAU, seed 003's views over the per-type tables). Each
// mart is declared here once: its table, the view that fills it, and the INSERT that backfills it from rows stored
// before it existed. The states are distinct-count states: merging one twice changes nothing, so a backfill that
// overlaps the view's first inserts counts no one twice.
import type { Catalog } from './catalog.ts';

export interface Mart {
  table: string;
  /** The table the view reads. */
  source: string;
  create: string;
  view: string;
  backfill: string;
}

/** Distinct users per day of the fallback type's events (seed 000): what DAU, WAU and MAU are merged from. */
export function martsOf(catalog: Catalog, db: string): Mart[] {
  const events = catalog.fallback;
  if (!events || !('user_id' in events.fields)) return [];
  const table = `${events.table}_daily_users`;
  const select =
    `SELECT toDate(\`${events.timeField}\`) AS day, uniqExactState(toString(user_id)) AS users ` +
    `FROM ${db}.${events.table} GROUP BY day`;
  return [
    {
      table,
      source: events.table,
      create:
        `CREATE TABLE IF NOT EXISTS ${db}.${table} (\n  day Date,\n  users AggregateFunction(uniqExact, String)\n) ` +
        'ENGINE = AggregatingMergeTree()\nORDER BY day',
      view: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${table}_mv TO ${db}.${table} AS\n${select}`,
      backfill: `INSERT INTO ${db}.${table} ${select}`,
    },
  ];
}
