// Marts: small tables that materialized views keep from the event tables as rows arrive, so a report over months
// reads a few thousand rows, not millions (seed 000's DAU/WAU/MAU, seed 003's views over the per-type tables). Each
// mart is declared here once: its table, the view that fills it, and the INSERT that backfills it from rows stored
// before it existed. A re-delivered event or a backfill that overlaps the view's first inserts counts no one twice:
// the states are distinct counts and bitmaps, where merging a row twice changes nothing; only `<table>_day_rows`
// counts every insert, and it serves as a version (it grows whenever a day gets rows), not as an answer.
import type { Catalog } from './catalog.ts';

export interface Mart {
  table: string;
  /** The table the view reads. */
  source: string;
  create: string;
  view: string;
  backfill: string;
}

const mart = (db: string, name: string, columns: string[], engine: string, select: string, source: string): Mart => ({
  table: name,
  source,
  create:
    `CREATE TABLE IF NOT EXISTS ${db}.${name} (\n${columns.map((c) => `  ${c}`).join(',\n')}\n) ` +
    `ENGINE = ${engine}`,
  view: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${name}_mv TO ${db}.${name} AS\n${select}`,
  backfill: `INSERT INTO ${db}.${name} ${select}`,
});

/** The table names of the marts a report reads. */
export const martNames = {
  /** Per type: distinct events and users per day. */
  daily: (table: string) => `${table}_daily`,
  /** Per type: rows inserted per day, a version that grows whenever a day gets rows. */
  dayRows: (table: string) => `${table}_day_rows`,
  /** The fallback type: per user, a bitmap of the days they were active (day numbers since 1970). */
  userDays: (table: string) => `${table}_user_days`,
};

/**
 * Per type, `<table>_daily`: the events and users of each day (seed 003's views over the per-type tables) as
 * distinct-count states of event_id and user_id, and `<table>_day_rows`: how many rows each day got. For the
 * fallback type, `<table>_user_days`: each user's active days as a bitmap, what DAU, WAU and MAU are counted from
 * (seed 000) — where the server has bitmaps (19.x and later).
 */
/** `dialect.bitmaps`: the server has groupBitmap (the Dialect of ddl.ts, which imports this file). */
export function martsOf(catalog: Catalog, db: string, dialect: { bitmaps: boolean }): Mart[] {
  const marts = catalog.types.flatMap((type) => {
    const day = `toDate(\`${type.timeField}\`) AS day`;
    const users = 'user_id' in type.fields;
    const select =
      `SELECT ${day}, uniqState(event_id) AS events${users ? ', uniqState(toString(user_id)) AS users' : ''} ` +
      `FROM ${db}.${type.table} GROUP BY day`;
    const columns = ['day Date', 'events AggregateFunction(uniq, String)'];
    if (users) columns.push('users AggregateFunction(uniq, String)');
    return [
      mart(db, martNames.daily(type.table), columns, 'AggregatingMergeTree() ORDER BY day', select, type.table),
      mart(
        db,
        martNames.dayRows(type.table),
        ['day Date', 'rows UInt64'],
        'SummingMergeTree() ORDER BY day',
        `SELECT ${day}, count() AS rows FROM ${db}.${type.table} GROUP BY day`,
        type.table,
      ),
    ];
  });
  const events = catalog.fallback;
  if (events && 'user_id' in events.fields && dialect.bitmaps) {
    const select =
      `SELECT toString(user_id) AS user_id, groupBitmapState(toUInt32(toDate(\`${events.timeField}\`))) AS days ` +
      `FROM ${db}.${events.table} GROUP BY user_id`;
    marts.push(
      mart(
        db,
        martNames.userDays(events.table),
        ['user_id String', 'days AggregateFunction(groupBitmap, UInt32)'],
        'AggregatingMergeTree() ORDER BY user_id',
        select,
        events.table,
      ),
    );
  }
  return marts;
}
