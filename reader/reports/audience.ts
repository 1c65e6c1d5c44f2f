// Audience: per day, the events and users of one type by country, device type, browser or OS — what the type's
// catalog `enrich:` adds — from its `<table>_audience` mart. Bots are left out unless `bots=include`. A type without
// the enrichment a cut needs is a 400 saying which `enrich:` it lacks.
import * as v from 'valibot';
import { ident, martNames, qualified } from '../../shared/schema/mod.ts';
import { invalidParameter } from '../errors/mod.ts';
import { select } from '../select.ts';
import { ranged } from './range.ts';
import { defineReport, int } from './report.ts';

/** The cuts, and the enrichment each needs. */
const CUTS = { country: 'geo', device_type: 'user_agent', browser: 'user_agent', os: 'user_agent' } as const;

export const botsParam = v.optional(v.picklist(['exclude', 'include']), 'exclude');

const AudienceRow = v.object({ date: v.string(), value: v.string(), events: int, users: v.nullable(int) });
type AudienceRow = v.InferOutput<typeof AudienceRow>;

export const audience = defineReport({
  name: 'audience',
  summary: 'Events and users per day of one type by country, device type, browser or OS; bots left out.',
  params: ranged({
    type: v.pipe(v.string(), v.minLength(1)),
    by: v.optional(v.picklist(Object.keys(CUTS) as (keyof typeof CUTS)[]), 'country'),
    bots: botsParam,
  }),
  row: AudienceRow,
  marts: ['audience'],
  async run(ch, catalog, q) {
    const type = catalog.find(q.type);
    if (!type) throw invalidParameter('type', `no event type ${JSON.stringify(q.type)} in the catalog`);
    if (!(q.by in type.serverFields)) {
      const needs = CUTS[q.by];
      throw invalidParameter('by', `${type.name} has no ${q.by}: its catalog enrich: has no ${needs}`);
    }
    const users = 'user_id' in type.fields;
    const rows = await select<AudienceRow>(
      ch,
      `SELECT toString(day) AS date, ${ident(q.by)} AS value, uniqMerge(events) AS events` +
        `${users ? ', uniqMerge(users) AS users' : ''}
FROM ${qualified(ch.database, martNames.audience(type.table))}
WHERE day >= toDate({from:String}) AND day <= toDate({to:String})${q.bots === 'include' ? '' : ' AND is_bot = 0'}
GROUP BY day, value ORDER BY day, events DESC, value`,
      { from: q.from, to: q.to },
    );
    return rows.map((r) => ({ ...r, users: users ? r.users : null }));
  },
});
