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

const table = (db: string, name: string, columns: string[], select: string, source: string): Mart => ({
  table: name,
  source,
  create:
    `CREATE TABLE IF NOT EXISTS ${db}.${name} (\n${columns.map((c) => `  ${c}`).join(',\n')}\n) ` +
    'ENGINE = AggregatingMergeTree()\nORDER BY day',
  view: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${name}_mv TO ${db}.${name} AS\n${select}`,
  backfill: `INSERT INTO ${db}.${name} ${select}`,
});

/**
 * Per type, `<table>_daily`: the events and users of each day (seed 003's views over the per-type tables) as
 * distinct-count states of event_id and user_id, so a re-delivered event counts once. And for the fallback type,
 * `<table>_daily_users`: its exact distinct users per day, what DAU, WAU and MAU are merged from (seed 000).
 */
export function martsOf(catalog: Catalog, db: string): Mart[] {
  const marts = catalog.types.map((type) => {
    const day = `toDate(\`${type.timeField}\`) AS day`;
    const users = 'user_id' in type.fields;
    const select =
      `SELECT ${day}, uniqState(event_id) AS events${users ? ', uniqState(toString(user_id)) AS users' : ''} ` +
      `FROM ${db}.${type.table} GROUP BY day`;
    const columns = ['day Date', 'events AggregateFunction(uniq, String)'];
    if (users) columns.push('users AggregateFunction(uniq, String)');
    return table(db, `${type.table}_daily`, columns, select, type.table);
  });
  const events = catalog.fallback;
  if (events && 'user_id' in events.fields) {
    const select =
      `SELECT toDate(\`${events.timeField}\`) AS day, uniqExactState(toString(user_id)) AS users ` +
      `FROM ${db}.${events.table} GROUP BY day`;
    marts.push(
      table(
        db,
        `${events.table}_daily_users`,
        ['day Date', 'users AggregateFunction(uniqExact, String)'],
        select,
        events.table,
      ),
    );
  }
  return marts;
}
