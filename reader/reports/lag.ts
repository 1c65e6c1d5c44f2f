// Lag (seed 002): per minute of insert, the p50 and p99 of inserted_at − received_at over every catalog table — how
// long an event took from the collector's answer to its row in ClickHouse. Rows record both times themselves.
import * as v from 'valibot';
import { plainName } from '../../shared/schema/mod.ts';
import { select } from '../select.ts';
import { RangeQuery } from './range.ts';
import { defineReport, int } from './report.ts';

const LagRow = v.object({ minute: v.string(), events: int, p50_seconds: v.number(), p99_seconds: v.number() });

export const lag = defineReport({
  name: 'lag',
  summary: 'Insert lag per minute: p50/p99 of inserted_at − received_at.',
  params: RangeQuery,
  row: LagRow,
  run(ch, catalog, q) {
    // Table names come from the catalog, not from the client; checked to be plain identifiers, as is the database.
    const tables = catalog.types.map((t) => plainName(t.table)).join('|');
    return select<v.InferOutput<typeof LagRow>>(
      ch,
      `SELECT toString(toStartOfMinute(inserted_at)) AS minute, count() AS events,
  round(quantile(0.5)(lag), 3) AS p50_seconds, round(quantile(0.99)(lag), 3) AS p99_seconds
FROM (
  SELECT inserted_at, (toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(received_at)) / 1000 AS lag
  FROM merge('${plainName(ch.database)}', '^(${tables})$')
  WHERE inserted_at >= toDateTime({from:String}, 'UTC') AND inserted_at < toDateTime({to:String}, 'UTC') + 86400
)
GROUP BY minute
ORDER BY minute`,
      { from: q.from, to: q.to },
    );
  },
});
