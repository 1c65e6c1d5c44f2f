// Task funnel (seed 000): per month, users with view/start/finish events, by how far they got from start_task to
// finish_task within the window (windowFunnel): 0 not started, 1 started only, 2 finished in time.
import * as v from 'valibot';
import { ident, qualified } from '../../shared/schema/mod.ts';
import { select } from '../select.ts';
import { ranged, seconds } from './range.ts';
import { defineReport, int } from './report.ts';
import { taskEvents } from './task-events.ts';

const FunnelRow = v.object({ month: v.string(), total_users: int, not_solved: int, tried: int, solved: int });

export const taskFunnel = defineReport({
  name: 'task-funnel',
  summary: 'Users per month by how far they got from start_task to finish_task.',
  /** The range and the window a task must be finished in (default an hour). */
  params: ranged({ window_seconds: seconds(30 * 86_400, '3600') }),
  row: FunnelRow,
  run(ch, catalog, q) {
    const type = taskEvents(catalog);
    const time = ident(type.timeField);
    return select<v.InferOutput<typeof FunnelRow>>(
      ch,
      `SELECT toString(month) AS month, count() AS total_users,
  countIf(level = 0) AS not_solved, countIf(level = 1) AS tried, countIf(level = 2) AS solved
FROM (
  SELECT toStartOfMonth(${time}) AS month, user_id,
    windowFunnel({window:UInt32})(${time}, event = 'start_task', event = 'finish_task') AS level
  FROM ${qualified(ch.database, type.table)} FINAL
  WHERE ${time} >= toDateTime({from:String}, 'UTC') AND ${time} < toDateTime({to:String}, 'UTC') + 86400
    AND event IN ('view', 'start_task', 'finish_task')
  GROUP BY month, user_id
)
GROUP BY month
ORDER BY month`,
      { from: q.from, to: q.to, window: q.window_seconds },
    );
  },
});
