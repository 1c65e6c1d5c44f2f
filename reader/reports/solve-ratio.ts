// Solve ratio (seed 000): per user and day with at least one start_task, finished/started; averaged over users.
import * as v from 'valibot';
import { ident, qualified } from '../../shared/schema/mod.ts';
import { select } from '../select.ts';
import { RangeQuery } from './range.ts';
import { defineReport } from './report.ts';
import { taskEvents } from './task-events.ts';

const SolveRatioRow = v.object({ date: v.string(), solve_ratio: v.number() });

export const solveRatio = defineReport({
  name: 'solve-ratio',
  summary: 'Finished / started tasks per user and day, averaged.',
  params: RangeQuery,
  row: SolveRatioRow,
  run(ch, catalog, q) {
    const type = taskEvents(catalog);
    const time = ident(type.timeField);
    return select<v.InferOutput<typeof SolveRatioRow>>(
      ch,
      `SELECT toString(date) AS date, round(avg(finished / started), 6) AS solve_ratio
FROM (
  SELECT toDate(${time}) AS date, user_id,
    countIf(event = 'finish_task') AS finished, countIf(event = 'start_task') AS started
  FROM ${qualified(ch.database, type.table)} FINAL
  WHERE ${time} >= toDateTime({from:String}, 'UTC') AND ${time} < toDateTime({to:String}, 'UTC') + 86400
    AND event IN ('view', 'start_task', 'finish_task')
  GROUP BY date, user_id
  HAVING started > 0
)
GROUP BY date
ORDER BY date`,
      { from: q.from, to: q.to },
    );
  },
});
