// The reports, each defined once: its parameters and its query, over a mart (shared/schema/marts.ts) where the
// seeds kept one. Activity has its own file (activity.ts).
import type { Catalog } from '../shared/mod.ts';
import { martNames } from '../shared/schema/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { dayCacheOf, rowsPerDay } from './day-cache.ts';
import { select } from './select.ts';
import type { RangeQuery } from './params.ts';

export class ReportUnavailable extends Error {}

/** Every date from `from` to `to`, inclusive (UTC). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The date `days` after (or before) `date`. */
export const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface LagRow {
  minute: string;
  events: number;
  p50_seconds: number;
  p99_seconds: number;
}

/**
 * Lag (seed 002): per minute of insert, the p50 and p99 of inserted_at − received_at over every catalog table — how
 * long an event took from the collector's answer to its row in ClickHouse. Rows record both times themselves.
 */
export async function lag(ch: ClickHouse, catalog: Catalog, q: RangeQuery): Promise<LagRow[]> {
  // Table names come from the catalog (SQL identifiers), not from the client.
  const tables = catalog.types.map((t) => t.table).join('|');
  const rows = await select<LagRow>(
    ch,
    `SELECT toString(toStartOfMinute(inserted_at)) AS minute, count() AS events,
  round(quantile(0.5)(lag), 3) AS p50_seconds, round(quantile(0.99)(lag), 3) AS p99_seconds
FROM (
  SELECT inserted_at, (toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(received_at)) / 1000 AS lag
  FROM merge('${ch.database}', '^(${tables})$')
  WHERE inserted_at >= toDateTime({from:String}, 'UTC') AND inserted_at < toDateTime({to:String}, 'UTC') + 86400
)
GROUP BY minute
ORDER BY minute`,
    { from: q.from, to: q.to },
  );
  return rows;
}

export interface DailyRow {
  date: string;
  events: number;
  users: number | null;
}

/** Daily (seed 003): per day the events and users of one type, from its `<table>_daily` mart; users is null for a
 *  type without user_id. Past days come from the day cache while their row count is unchanged. */
export async function daily(ch: ClickHouse, catalog: Catalog, q: RangeQuery & { type: string }): Promise<DailyRow[]> {
  const type = catalog.find(q.type);
  if (!type) throw new UnknownReportType(`no event type ${JSON.stringify(q.type)} in the catalog`);
  const users = 'user_id' in type.fields;
  const versions = await rowsPerDay(ch, martNames.dayRows(type.table), q.from, q.to);
  const compute = async (from: string, to: string) => {
    const rows = await select<DailyRow>(
      ch,
      `SELECT toString(day) AS date, uniqMerge(events) AS events${users ? ', uniqMerge(users) AS users' : ''}
FROM ${ch.database}.${martNames.daily(type.table)}
WHERE day >= toDate({from:String}) AND day <= toDate({to:String})
GROUP BY day`,
      { from, to },
    );
    const byDate = new Map(rows.map((r) => [r.date, { ...r, users: users ? r.users : null }]));
    return new Map(
      datesBetween(from, to).map((date) => [date, byDate.get(date) ?? { date, events: 0, users: users ? 0 : null }]),
    );
  };
  const dates = datesBetween(q.from, q.to);
  return dayCacheOf(ch).rows(`daily/${type.table}`, dates, (d) => versions.get(d) ?? 0, compute);
}

export class UnknownReportType extends Error {}

/** The fallback type (seed 000's generic events), which the task reports read. */
function taskEvents(catalog: Catalog) {
  const type = catalog.fallback;
  if (!type || !('event' in type.fields) || !('user_id' in type.fields)) {
    throw new ReportUnavailable('the catalog has no fallback type with event and user_id');
  }
  return type;
}

export interface SolveRatioRow {
  date: string;
  solve_ratio: number;
}

/** Solve ratio (seed 000): per user and day with at least one start_task, finished/started; averaged over users. */
export async function solveRatio(ch: ClickHouse, catalog: Catalog, q: RangeQuery): Promise<SolveRatioRow[]> {
  const type = taskEvents(catalog);
  const time = `\`${type.timeField}\``;
  const rows = await select<SolveRatioRow>(
    ch,
    `SELECT toString(date) AS date, round(avg(finished / started), 6) AS solve_ratio
FROM (
  SELECT toDate(${time}) AS date, user_id,
    countIf(event = 'finish_task') AS finished, countIf(event = 'start_task') AS started
  FROM ${ch.database}.${type.table} FINAL
  WHERE ${time} >= toDateTime({from:String}, 'UTC') AND ${time} < toDateTime({to:String}, 'UTC') + 86400
    AND event IN ('view', 'start_task', 'finish_task')
  GROUP BY date, user_id
  HAVING started > 0
)
GROUP BY date
ORDER BY date`,
    { from: q.from, to: q.to },
  );
  return rows;
}

export interface FunnelRow {
  month: string;
  total_users: number;
  not_solved: number;
  tried: number;
  solved: number;
}

/** Task funnel (seed 000): per month, users with view/start/finish events, by how far they got from start_task to
 *  finish_task within the window (windowFunnel): 0 not started, 1 started only, 2 finished in time. */
export async function taskFunnel(
  ch: ClickHouse,
  catalog: Catalog,
  q: RangeQuery & { window_seconds: number },
): Promise<FunnelRow[]> {
  const type = taskEvents(catalog);
  const time = `\`${type.timeField}\``;
  const rows = await select<FunnelRow>(
    ch,
    `SELECT toString(month) AS month, count() AS total_users,
  countIf(level = 0) AS not_solved, countIf(level = 1) AS tried, countIf(level = 2) AS solved
FROM (
  SELECT toStartOfMonth(${time}) AS month, user_id,
    windowFunnel({window:UInt32})(${time}, event = 'start_task', event = 'finish_task') AS level
  FROM ${ch.database}.${type.table} FINAL
  WHERE ${time} >= toDateTime({from:String}, 'UTC') AND ${time} < toDateTime({to:String}, 'UTC') + 86400
    AND event IN ('view', 'start_task', 'finish_task')
  GROUP BY month, user_id
)
GROUP BY month
ORDER BY month`,
    { from: q.from, to: q.to, window: q.window_seconds },
  );
  return rows;
}

/** The upper bounds (seconds) of the session-duration histogram's buckets; the last bucket is open. */
export const SESSION_BUCKETS = [0, 60, 300, 900, 1800, 3600] as const;

export interface SessionsRow {
  date: string;
  sessions: number;
  users: number;
  avg_seconds: number;
  p50_seconds: number;
  p90_seconds: number;
  /** Sessions per duration bucket: `le` seconds or less (the last, `null`, is anything longer). */
  histogram: { le: number | null; sessions: number }[];
}

/**
 * Sessions (seed 001): a user's events of one type, cut where they were inactive for longer than the timeout; per
 * day of a session's start, how many sessions and users, their mean, median and 90th-percentile duration (first
 * to last event), and a histogram of durations. Each user's times are sorted into an array and cut where the gap
 * exceeds the timeout (arrayCumSum of the cuts numbers the sessions).
 */
export async function sessions(
  ch: ClickHouse,
  catalog: Catalog,
  q: RangeQuery & { timeout_seconds: number; type?: string },
): Promise<SessionsRow[]> {
  const type = q.type ? catalog.find(q.type) : catalog.fallback;
  if (!type)
    throw new UnknownReportType(q.type ? `no event type ${JSON.stringify(q.type)} in the catalog` : 'name a type');
  if (!('user_id' in type.fields)) throw new UnknownReportType(`${type.name} has no user_id: no sessions to cut`);
  const time = `\`${type.timeField}\``;
  const buckets = SESSION_BUCKETS.map((le, i) =>
    i === 0 ? `countIf(duration <= ${le})` : `countIf(duration > ${SESSION_BUCKETS[i - 1]} AND duration <= ${le})`,
  );
  buckets.push(`countIf(duration > ${SESSION_BUCKETS.at(-1)})`);
  const rows = await select<Omit<SessionsRow, 'histogram'> & { buckets: number[] }>(
    ch,
    `SELECT toString(toDate(start, 'UTC')) AS date, count() AS sessions, uniqExact(user) AS users,
  round(avg(duration), 3) AS avg_seconds, quantileExact(0.5)(duration) AS p50_seconds,
  quantileExact(0.9)(duration) AS p90_seconds, [${buckets.join(', ')}] AS buckets
FROM (
  SELECT user, sid, min(t) AS start, max(t) - min(t) AS duration
  FROM (
    SELECT user, tupleElement(p, 1) AS t, tupleElement(p, 2) AS sid
    FROM (
      SELECT toString(user_id) AS user, arraySort(groupArray(toUnixTimestamp(${time}))) AS ts,
        arrayCumSum(arrayMap(i -> i = 1 OR ts[i] - ts[i - 1] > {timeout:UInt32}, arrayEnumerate(ts))) AS sids
      FROM ${ch.database}.${type.table} FINAL
      WHERE ${time} >= toDateTime({from:String}, 'UTC') AND ${time} < toDateTime({to:String}, 'UTC') + 86400
      GROUP BY user
    )
    ARRAY JOIN arrayZip(ts, sids) AS p
  )
  GROUP BY user, sid
)
GROUP BY date
ORDER BY date`,
    { from: q.from, to: q.to, timeout: q.timeout_seconds },
  );
  return rows.map(({ buckets: counts, ...row }) => ({
    ...row,
    histogram: counts.map((n, i) => ({ le: SESSION_BUCKETS[i] ?? null, sessions: n })),
  }));
}
