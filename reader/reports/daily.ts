// Daily (seed 003): per day the events and users of one type, from its `<table>_daily` mart; users is null for a
// type without user_id. A type that flags bots (catalog `enrich: { bots: … }`) is counted without them, from its
// `<table>_audience` mart, unless `bots=include`. Past days come from the day cache (reader/day-cache.ts) while their
// row count is unchanged.
import * as v from 'valibot';
import { martNames, qualified } from '../../shared/schema/mod.ts';
import { dayCacheOf, rowsPerDay } from '../day-cache.ts';
import { invalidParameter } from '../errors/mod.ts';
import { select } from '../select.ts';
import { datesBetween, ranged } from './range.ts';
import { botsParam } from './audience.ts';
import { defineReport, int } from './report.ts';

const DailyRow = v.object({ date: v.string(), events: int, users: v.nullable(int) });
type DailyRow = v.InferOutput<typeof DailyRow>;

export const daily = defineReport({
  name: 'daily',
  summary: 'Events and users per day of one type.',
  /** The type by name or key, and the range. */
  params: ranged({ type: v.pipe(v.string(), v.minLength(1)), bots: botsParam }),
  row: DailyRow,
  marts: ['daily', 'dayRows', 'audience'],
  async run(ch, catalog, q) {
    const type = catalog.find(q.type);
    if (!type) throw invalidParameter('type', `no event type ${JSON.stringify(q.type)} in the catalog`);
    const users = 'user_id' in type.fields;
    const humans = q.bots === 'exclude' && 'is_bot' in type.serverFields;
    const mart = humans ? martNames.audience(type.table) : martNames.daily(type.table);
    const versions = await rowsPerDay(ch, martNames.dayRows(type.table), q.from, q.to);
    const compute = async (from: string, to: string) => {
      const rows = await select<DailyRow>(
        ch,
        `SELECT toString(day) AS date, uniqMerge(events) AS events${users ? ', uniqMerge(users) AS users' : ''}
FROM ${qualified(ch.database, mart)}
WHERE day >= toDate({from:String}) AND day <= toDate({to:String})${humans ? ' AND is_bot = 0' : ''}
GROUP BY day`,
        { from, to },
      );
      const byDate = new Map(rows.map((r) => [r.date, { ...r, users: users ? r.users : null }]));
      return new Map(
        datesBetween(from, to).map((date) => [date, byDate.get(date) ?? { date, events: 0, users: users ? 0 : null }]),
      );
    };
    const dates = datesBetween(q.from, q.to);
    return dayCacheOf(ch).rows(
      `daily/${type.table}${humans ? '/humans' : ''}`,
      dates,
      (d) => versions.get(d) ?? 0,
      compute,
    );
  },
});
