// Activity (seed 000): per day the distinct users of that day (DAU), of the 7 days ending it (WAU) and of the 30 days
// ending it (MAU) — 7 and 30 days, where the seed's `RANGE 7 PRECEDING` counted 8. Exact, and without merging sets:
// the `<table>_user_days` mart keeps each user's active days as a bitmap (one row per user). A user counts in a
// window of W days on date d when one of their active days falls in [d − W + 1, d]; so per user, each run of active
// days closer than W apart covers from its first day to W days after its last. The query emits +1 where a run
// starts and −1 where its cover ends, per window, and the running sum of those per date is the answer. Past dates are
// cached (reader/day-cache.ts) and recomputed when a day in their 30-day window gets rows.
import * as v from 'valibot';
import { martNames, qualified } from '../../shared/schema/mod.ts';
import type { ClickHouse } from '../../shared/clickhouse/mod.ts';
import { dayCacheOf, rowsPerDay } from '../day-cache.ts';
import { ReaderError } from '../errors/mod.ts';
import { select } from '../select.ts';
import { datesBetween, RangeQuery, shiftDate } from './range.ts';
import { defineReport, int } from './report.ts';

const ActivityRow = v.object({ date: v.string(), dau: int, wau: int, mau: int });
type ActivityRow = v.InferOutput<typeof ActivityRow>;

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
function changesQuery(db: string, table: string): string {
  const terms = WINDOWS.flatMap((w, i) => [
    `arrayFilter((v, g) -> g = 0 OR g > ${w}, arrayMap(a -> a * 8 + ${2 * i}, active), gaps)`,
    `arrayFilter((v, g) -> g = 0 OR g > ${w}, arrayMap(a -> (a + ${w}) * 8 + ${2 * i + 1}, active), next_gaps)`,
  ]);
  return `SELECT toString(toDate('1970-01-01') + intDiv(v, 8)) AS date, toUInt8(v % 8) AS kind, count() AS n
FROM (
  SELECT arrayJoin(arrayConcat(
    ${terms.join(',\n    ')}
  )) AS v
  FROM (
    SELECT active, arrayDifference(active) AS gaps, arrayPushBack(arrayPopFront(gaps), 0) AS next_gaps
    FROM (
      SELECT arraySort(bitmapToArray(bitmapSubsetInRange(groupBitmapMergeState(days),
        toUInt32(toDate({from:String}) - ${LONGEST - 1}), toUInt32(toDate({to:String}) + 1)))) AS active
      FROM ${qualified(db, table)}
      GROUP BY user_id
      HAVING notEmpty(active)
    )
  )
)
GROUP BY date, kind`;
}

async function compute(ch: ClickHouse, table: string, from: string, to: string): Promise<Map<string, ActivityRow>> {
  const changes = await select<{ date: string; kind: number; n: number }>(ch, changesQuery(ch.database, table), {
    from,
    to,
  });
  const byDate = new Map<string, number[]>();
  for (const c of changes) {
    let d = byDate.get(c.date);
    if (!d) byDate.set(c.date, (d = new Array<number>(WINDOWS.length * 2).fill(0)));
    d[c.kind] = c.n;
  }
  const counts = WINDOWS.map(() => 0);
  const out = new Map<string, ActivityRow>();
  for (const date of datesBetween(shiftDate(from, 1 - LONGEST), to)) {
    const d = byDate.get(date);
    if (d) WINDOWS.forEach((_, i) => (counts[i]! += d[2 * i]! - d[2 * i + 1]!));
    if (date >= from) out.set(date, { date, dau: counts[0]!, wau: counts[1]!, mau: counts[2]! });
  }
  return out;
}

export const activity = defineReport({
  name: 'activity',
  summary: 'DAU, WAU (7 days) and MAU (30 days) per day.',
  params: RangeQuery,
  row: ActivityRow,
  marts: ['userDays', 'dayRows'],
  async run(ch, catalog, q) {
    const type = catalog.fallback;
    if (!type || !('user_id' in type.fields)) {
      const reason = 'the catalog has no fallback type with a user_id: no activity to report';
      throw new ReaderError('not-supported', 'report unavailable', { reason });
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
    const table = martNames.userDays(type.table);
    return dayCacheOf(ch).rows(
      `activity/${table}`,
      datesBetween(q.from, q.to),
      (d) => version.get(d)!,
      (from, to) => compute(ch, table, from, to),
    );
  },
});
