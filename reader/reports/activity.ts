// Activity (seed 000): per day the distinct users of that day (DAU), of the 7 days ending it (WAU) and of the 30
// days ending it (MAU) — 7 and 30 days, where the seed's `RANGE 7 PRECEDING` counted 8 — overall or per country
// or device type, bots left out unless `bots=include`. Exact, and without merging sets: the `<table>_active_days`
// mart keeps each user's active days as a bitmap per cut (bot or not, country, device type). A user counts in a
// window of W days on date d when one of their active days falls in [d − W + 1, d]; so per user (and value of the
// cut), each run of active days closer than W apart covers from its first day to W days after its last. The query
// emits +1 where a run starts and −1 where its cover ends, per window, and the running sum of those per date is the
// answer. A user active from two countries counts in each. Past dates are cached (reader/day-cache.ts) and
// recomputed when a day in their 30-day window gets rows.
import * as v from 'valibot';
import { ident, martNames, qualified } from '../../shared/schema/mod.ts';
import type { ClickHouse } from '../../shared/clickhouse/mod.ts';
import { dayCacheOf, rowsPerDay } from '../day-cache.ts';
import { invalidParameter, ReaderError } from '../errors/mod.ts';
import { select } from '../select.ts';
import { botsParam } from './audience.ts';
import { datesBetween, ranged, shiftDate } from './range.ts';
import { defineReport, int } from './report.ts';

/** A date's counts; with `by`, one row per value of the cut seen in the date's 30 days (`''`: unknown). */
const ActivityRow = v.object({ date: v.string(), value: v.optional(v.string()), dau: int, wau: int, mau: int });
type ActivityRow = v.InferOutput<typeof ActivityRow>;

/** The cuts, and the enrichment each needs. */
const CUTS = { country: 'geo', device_type: 'user_agent' } as const;
type Cut = keyof typeof CUTS;

/** The windows, in days: DAU, WAU, MAU. */
const WINDOWS = [1, 7, 30] as const;
const LONGEST = WINDOWS.at(-1)!;

/**
 * The changes of each window's count, per date from `from` − 29 to `to`: each value encodes a day and a kind
 * (day × 8 + kind): kind 2i is a run's start in window i (the user's first active day in the range, or one more
 * than W days after the previous), 2i + 1 the end of its cover (W days after a day followed by no other within W).
 * `gaps` are the days since the user's previous active day (0 for the first), `next_gaps` to their next (0 for
 * the last); users with no day in the range are left out (for them the two would differ in length). The array is
 * sorted here: a small bitmap (32 values or fewer) is a plain set in ClickHouse, and bitmapToArray gives
 * it in the order its values were merged, which varies with the order parts were written and merged.
 */
function changesQuery(db: string, table: string, by: Cut | undefined, humans: boolean): string {
  const terms = WINDOWS.flatMap((w, i) => [
    `arrayFilter((v, g) -> g = 0 OR g > ${w}, arrayMap(a -> a * 8 + ${2 * i}, active), gaps)`,
    `arrayFilter((v, g) -> g = 0 OR g > ${w}, arrayMap(a -> (a + ${w}) * 8 + ${2 * i + 1}, active), next_gaps)`,
  ]);
  return `SELECT toString(toDate('1970-01-01') + intDiv(v, 8)) AS date, toUInt8(v % 8) AS kind, value, count() AS n
FROM (
  SELECT arrayJoin(arrayConcat(
    ${terms.join(',\n    ')}
  )) AS v, value
  FROM (
    SELECT value, active, arrayDifference(active) AS gaps, arrayPushBack(arrayPopFront(gaps), 0) AS next_gaps
    FROM (
      SELECT ${by ? ident(by) : "''"} AS value, arraySort(bitmapToArray(bitmapSubsetInRange(groupBitmapMergeState(days),
        toUInt32(toDate({from:String}) - ${LONGEST - 1}), toUInt32(toDate({to:String}) + 1)))) AS active
      FROM ${qualified(db, table)}${humans ? '\n      WHERE is_bot = 0' : ''}
      GROUP BY user_id, value
      HAVING notEmpty(active)
    )
  )
)
GROUP BY date, kind, value`;
}

/** Each date's rows from `from` to `to`: one, or with `by` one per value of the cut that has users in its 30 days. */
async function compute(
  ch: ClickHouse,
  table: string,
  q: { from: string; to: string; by?: Cut; bots: 'exclude' | 'include' },
): Promise<Map<string, ActivityRow[]>> {
  const sql = changesQuery(ch.database, table, q.by, q.bots === 'exclude');
  const changes = await select<{ date: string; kind: number; value: string; n: number }>(ch, sql, {
    from: q.from,
    to: q.to,
  });
  const byDate = new Map<string, Map<string, number[]>>();
  for (const c of changes) {
    let values = byDate.get(c.date);
    if (!values) byDate.set(c.date, (values = new Map()));
    let d = values.get(c.value);
    if (!d) values.set(c.value, (d = new Array<number>(WINDOWS.length * 2).fill(0)));
    d[c.kind] = c.n;
  }
  const counts = new Map<string, number[]>(q.by ? [] : [['', WINDOWS.map(() => 0)]]);
  const out = new Map<string, ActivityRow[]>();
  for (const date of datesBetween(shiftDate(q.from, 1 - LONGEST), q.to)) {
    for (const [value, d] of byDate.get(date) ?? []) {
      let c = counts.get(value);
      if (!c) counts.set(value, (c = WINDOWS.map(() => 0)));
      WINDOWS.forEach((_, i) => (c[i]! += d[2 * i]! - d[2 * i + 1]!));
    }
    if (date < q.from) continue;
    const rows = [...counts]
      .filter(([, c]) => !q.by || c[2]! > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([value, c]) => ({ date, ...(q.by ? { value } : {}), dau: c[0]!, wau: c[1]!, mau: c[2]! }));
    out.set(date, rows);
  }
  return out;
}

export const activity = defineReport({
  name: 'activity',
  summary: 'DAU, WAU (7 days) and MAU (30 days) per day, overall or by country or device type; bots left out.',
  params: ranged({ by: v.optional(v.picklist(Object.keys(CUTS) as Cut[])), bots: botsParam }),
  row: ActivityRow,
  marts: ['activeDays', 'dayRows'],
  async run(ch, catalog, q) {
    const type = catalog.fallback;
    if (!type || !('user_id' in type.fields)) {
      const reason = 'the catalog has no fallback type with a user_id: no activity to report';
      throw new ReaderError('not-supported', 'report unavailable', { reason });
    }
    if (q.by && !(q.by in type.serverFields)) {
      throw invalidParameter('by', `${type.name} has no ${q.by}: its catalog enrich: has no ${CUTS[q.by]}`);
    }
    const earliest = shiftDate(q.from, 1 - LONGEST);
    const rows = await rowsPerDay(ch, martNames.dayRows(type.table), earliest, q.to);
    // A date's version: the rows its 30-day window got, which grows with any row added to it.
    const version = new Map<string, number>();
    let sum = 0;
    const window = datesBetween(earliest, q.to);
    window.forEach((date, i) => {
      sum += (rows.get(date) ?? 0) - (i >= LONGEST ? (rows.get(window[i - LONGEST]!) ?? 0) : 0);
      version.set(date, sum);
    });
    const table = martNames.activeDays(type.table);
    const perDate = await dayCacheOf(ch).rows(
      `activity/${table}/${q.by ?? 'all'}/${q.bots}`,
      datesBetween(q.from, q.to),
      (d) => version.get(d)!,
      (from, to) => compute(ch, table, { ...q, from, to }),
    );
    return perDate.flat();
  },
});
