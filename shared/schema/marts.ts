// Marts: small tables that materialized views keep from the event tables as rows arrive, so a report over months
// reads a few thousand rows, not millions (seed 000's DAU/WAU/MAU, seed 003's views over the per-type tables). Each
// mart is declared here once: its table and the view that fills it (cluster.ts writes their statements, for one node
// or a cluster, and the INSERT that backfills a new mart from the rows stored before it existed). A re-delivered
// event or a backfill that overlaps the view's first inserts counts no one twice: the states are distinct counts and
// bitmaps, where merging a row twice changes nothing; only `<table>_day_rows` counts every insert, and it serves as a
// version (it grows whenever a day gets rows), not as an answer.
import type { Catalog, EventType } from '../mod.ts';
import type { Column, TableSpec, ViewSpec } from './cluster.ts';
import { ident } from './names.ts';

/** A mart's view. Its SELECT also takes a filter of the source's rows, so some days of the mart can be computed
 *  again from the source (an erasure recomputes the days a person's rows touched). */
export interface MartView extends ViewSpec {
  select: (from: string, where?: string) => string;
}

interface Mart {
  table: TableSpec;
  view: MartView;
}

const mart = (table: TableSpec, view: Omit<MartView, 'name' | 'target'>): Mart => ({
  table,
  view: { ...view, name: `${table.name}_mv`, target: table.name },
});

/** ` WHERE <filter>`, or nothing without one. */
const filtered = (where?: string) => (where ? ` WHERE ${where}` : '');

/** The table names of the marts a report reads. */
export const martNames = {
  /** Per type: distinct events and users per day. */
  daily: (table: string) => `${table}_daily`,
  /** Per type: rows inserted per day, a version that grows whenever a day gets rows. */
  dayRows: (table: string) => `${table}_day_rows`,
  /** Per enriched type: distinct events and users per day, bot or not, country, device type, browser and OS. */
  audience: (table: string) => `${table}_audience`,
  /** The fallback type: per user and cut (bot or not, country, device type), a bitmap of the days they were active
   *  (day numbers since 1970). */
  activeDays: (table: string) => `${table}_active_days`,
};

/** Marts an earlier version made and this one does not: their views and tables are dropped by the migration. */
export const retiredMarts = (table: string): string[] => [`${table}_user_days`];

/**
 * Per type, `<table>_daily`: the events and users of each day (seed 003's views over the per-type tables) as
 * distinct-count states of event_id and user_id, and `<table>_day_rows`: how many rows each day got. For the
 * fallback type, `<table>_active_days`: each user's active days as a bitmap per cut (bot or not, country, device
 * type), what DAU, WAU and MAU are counted from (seed 000) — where the server has bitmaps (19.x and later).
 */
/** `dialect.bitmaps`: the server has groupBitmap. */
export function martsOf(catalog: Catalog, dialect: { bitmaps: boolean }): Mart[] {
  const marts = catalog.types.flatMap((type) => {
    const day = `toDate(${ident(type.timeField)}) AS day`;
    const users = 'user_id' in type.fields;
    const columns: Column[] = [
      ['day', 'Date'],
      ['events', 'AggregateFunction(uniq, String)'],
    ];
    if (users) columns.push(['users', 'AggregateFunction(uniq, String)']);
    const byDay = { clauses: ['ORDER BY day'], shardBy: 'toUInt32(day)' };
    return [
      mart(
        { name: martNames.daily(type.table), columns, engine: 'AggregatingMergeTree()', ...byDay },
        {
          source: type.table,
          select: (from, where) =>
            `SELECT ${day}, uniqState(event_id) AS events${users ? ', uniqState(toString(user_id)) AS users' : ''} ` +
            `FROM ${from}${filtered(where)} GROUP BY day`,
        },
      ),
      ...audienceOf(type),
      mart(
        {
          name: martNames.dayRows(type.table),
          columns: [
            ['day', 'Date'],
            ['rows', 'UInt64'],
          ],
          engine: 'SummingMergeTree()',
          ...byDay,
        },
        {
          source: type.table,
          select: (from, where) => `SELECT ${day}, count() AS rows FROM ${from}${filtered(where)} GROUP BY day`,
        },
      ),
    ];
  });
  const events = catalog.fallback;
  if (events && 'user_id' in events.fields && dialect.bitmaps) {
    const cuts = CUTS.filter(([c]) => ACTIVE_CUTS.includes(c));
    const keys = ['user_id', ...cuts.map(([c]) => ident(c))].join(', ');
    marts.push(
      mart(
        {
          name: martNames.activeDays(events.table),
          columns: [
            ['user_id', 'String'],
            ...cuts.map(([c, t]): Column => [c, t]),
            ['days', 'AggregateFunction(groupBitmap, UInt32)'],
          ],
          engine: 'AggregatingMergeTree()',
          clauses: [`ORDER BY (${keys})`],
          shardBy: 'cityHash64(user_id)',
        },
        {
          source: events.table,
          select: (from, where) =>
            `SELECT toString(user_id) AS user_id, ${cutsOf(events, cuts).join(', ')}, ` +
            `groupBitmapState(toUInt32(toDate(${ident(events.timeField)}))) AS days ` +
            `FROM ${from}${filtered(where)} GROUP BY ${keys}`,
        },
      ),
    );
  }
  return marts;
}

/** The cuts of `<table>_audience`: what a type's enrich: adds, each a constant where the type lacks it. */
const CUTS: [string, string, string][] = [
  ['is_bot', 'UInt8', 'toUInt8(0)'],
  ['country', 'String', "''"],
  ['device_type', 'String', "''"],
  ['browser', 'String', "''"],
  ['os', 'String', "''"],
];
/** The cuts of `<table>_active_days`: few values each, so a user has a few rows, not one per browser version. */
const ACTIVE_CUTS = ['is_bot', 'country', 'device_type'];

/** The cuts' expressions in a mart's SELECT: the type's column, or the constant where the type lacks it. */
const cutsOf = (type: EventType, cuts: [string, string, string][]) =>
  cuts.map(([c, , none]) => (c in type.serverFields ? ident(c) : `${none} AS ${ident(c)}`));

/**
 * `<table>_audience`, for a type whose enrich: adds device, bot or country columns: the events and users of each day
 * by whether a bot sent them and by country, device type, browser and OS, so reports leave bots out and cut by any
 * of them from a few thousand rows a day.
 */
function audienceOf(type: EventType): Mart[] {
  if (!CUTS.some(([c]) => c in type.serverFields)) return [];
  const users = 'user_id' in type.fields;
  const columns: Column[] = [
    ['day', 'Date'],
    ...CUTS.map(([c, t]): Column => [c, t]),
    ['events', 'AggregateFunction(uniq, String)'],
  ];
  if (users) columns.push(['users', 'AggregateFunction(uniq, String)']);
  const cuts = cutsOf(type, CUTS);
  const keys = ['day', ...CUTS.map(([c]) => ident(c))].join(', ');
  return [
    mart(
      {
        name: martNames.audience(type.table),
        columns,
        engine: 'AggregatingMergeTree()',
        clauses: [`ORDER BY (${keys})`],
        shardBy: 'toUInt32(day)',
      },
      {
        source: type.table,
        select: (from, where) =>
          `SELECT toDate(${ident(type.timeField)}) AS day, ${cuts.join(', ')}, uniqState(event_id) AS events` +
          `${users ? ', uniqState(toString(user_id)) AS users' : ''} FROM ${from}${filtered(where)} GROUP BY ${keys}`,
      },
    ),
  ];
}
