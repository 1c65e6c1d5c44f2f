// Sessions (seed 001): a user's events of one type, cut where they were inactive for longer than the timeout; per
// day of a session's start, how many sessions and users, their mean, median and 90th-percentile duration (first to
// last event), and a histogram of durations. Each user's times are sorted into an array and cut where the gap
// exceeds the timeout (arrayCumSum of the cuts numbers the sessions).
import * as v from 'valibot';
import { ident, qualified } from '../../shared/schema/mod.ts';
import { invalidParameter } from '../errors/mod.ts';
import { select } from '../select.ts';
import { ranged, seconds } from './range.ts';
import { defineReport, int } from './report.ts';

/** The upper bounds (seconds) of the session-duration histogram's buckets; the last bucket is open. */
const SESSION_BUCKETS = [0, 60, 300, 900, 1800, 3600] as const;

const SessionsRow = v.object({
  date: v.string(),
  sessions: int,
  users: int,
  avg_seconds: v.number(),
  p50_seconds: v.number(),
  p90_seconds: v.number(),
  /** Sessions per duration bucket: `le` seconds or less (the last, `null`, is anything longer). */
  histogram: v.array(v.object({ le: v.nullable(int), sessions: int })),
});
type SessionsRow = v.InferOutput<typeof SessionsRow>;

export const sessions = defineReport({
  name: 'sessions',
  summary: 'Sessions cut by inactivity, per day of their start.',
  /** The range, the inactivity that ends a session (default 30 min), and the type (default: the fallback). */
  params: ranged({
    timeout_seconds: seconds(86_400, '1800'),
    type: v.optional(v.pipe(v.string(), v.minLength(1))),
  }),
  row: SessionsRow,
  async run(ch, catalog, q) {
    const type = q.type ? catalog.find(q.type) : catalog.fallback;
    if (!type)
      throw invalidParameter('type', q.type ? `no event type ${JSON.stringify(q.type)} in the catalog` : 'name a type');
    if (!('user_id' in type.fields)) throw invalidParameter('type', `${type.name} has no user_id: no sessions to cut`);
    const time = ident(type.timeField);
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
      FROM ${qualified(ch.database, type.table)} FINAL
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
  },
});
