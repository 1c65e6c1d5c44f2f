// `npm run bench -- reports [--events N]`: each report's latency (p50/p99 of 20 runs, through the reading API
// in-process) over N generic events (10 million by default) spread over six months, plus a tenth as many page visits,
// on the embedded engine. The rows are made by ClickHouse itself (INSERT ... SELECT FROM numbers()), so the marts'
// views fill as they would from the sink. The old 18.16 server has no query parameters: there every report answers 501.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayCacheOf, readerApp } from '../reader/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { connectClickHouse, migrate } from '../shared/clickhouse/mod.ts';
import { defaultCatalog } from '../test/support/mod.ts';
import { progress, writeSection } from './results.ts';

const DAYS = 180;
const DAILY = '/v1/reports/daily?type=generic&from=2024-01-01&to=2024-06-28';
/** Before each run: `cold` empties the reports' day cache; `live` first inserts one event on the range's last day,
 *  as a running pipeline does, so that day is computed again and the others come from the cache; `none`: nothing. */
type Before = 'cold' | 'live' | 'none';
const REPORTS: [name: string, path: string, before: Before][] = [
  ['activity, six months, cold', '/v1/reports/activity?from=2024-01-01&to=2024-06-28', 'cold'],
  ['activity, six months, live (today recomputed)', '/v1/reports/activity?from=2024-01-01&to=2024-06-28', 'live'],
  ['activity, one month, cold', '/v1/reports/activity?from=2024-06-01&to=2024-06-28', 'cold'],
  ['daily (events, users) of the generic type, six months, cold', DAILY, 'cold'],
  ['daily (events, users) of the generic type, six months, live', DAILY, 'live'],
  ['solve ratio, one month', '/v1/reports/solve-ratio?from=2024-06-01&to=2024-06-28', 'none'],
  ['task funnel, six months', '/v1/reports/task-funnel?from=2024-01-01&to=2024-06-28', 'none'],
  ['sessions of page visits, one month', '/v1/reports/sessions?type=PageVisit&from=2024-06-01&to=2024-06-28', 'none'],
  ['lag, one day', '/v1/reports/lag?from=2024-06-28&to=2024-06-28', 'none'],
  ['events, first page of 100', '/v1/events?limit=100', 'none'],
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function reports(opts: { events?: number } = {}): Promise<void> {
  const n = opts.events ?? 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-reports-'));
  const cfg = loadConfig({ DATA_DIR: dir });
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  const catalog = defaultCatalog();
  try {
    await migrate(ch, catalog);
    const chunk = 1_000_000;
    const steps = Math.ceil(n / chunk) + Math.ceil(n / 10 / chunk) + REPORTS.length;
    let step = 0;
    const started = Date.now();
    for (let from = 0; from < n; from += chunk) {
      progress('reports: insert', step++, steps);
      // Times spread over 180 days from 2024-01-01; users drawn from 50,000; events view/start/finish/pay.
      await ch.client.command({
        query: `INSERT INTO ${ch.database}.events (event_id, dt, event, user_id, screen, received_at)
SELECT concat('b-', toString(number)), toDateTime('2024-01-01 00:00:00', 'UTC') + (number * 1553) % ${DAYS * 86400},
  ['view', 'start_task', 'finish_task', 'pay'][number % 4 + 1], toString((number * 7919) % 50000), 'main',
  now64(3)
FROM numbers(${from}, ${Math.min(chunk, n - from)})`,
      });
    }
    for (let from = 0; from < n / 10; from += chunk) {
      progress('reports: insert', step++, steps);
      await ch.client.command({
        query: `INSERT INTO ${ch.database}.page_visit (event_id, timestamp, user_id, page_id, received_at)
SELECT concat('p-', toString(number)), toDateTime('2024-01-01 00:00:00', 'UTC') + (number * 2311) % ${DAYS * 86400},
  (number * 104729) % 20000, number % 4 + 1, now64(3)
FROM numbers(${from}, ${Math.min(chunk, n / 10 - from)})`,
      });
    }
    const insertSeconds = (Date.now() - started) / 1000;
    const app = readerApp({ clickhouse: ch, catalog: () => catalog, readKeys: [], writeKeys: [] });
    const rows: string[] = [];
    let live = 0;
    for (const [name, path, before] of REPORTS) {
      progress('reports: query', step++, steps);
      const times: number[] = [];
      let status = 0;
      // 22 runs, or fewer (at least 5) for a report slow enough to take more than 20 s.
      const until = performance.now() + 20_000;
      for (let i = 0; i < 22 && (i < 5 || performance.now() < until); i++) {
        if (before === 'cold') dayCacheOf(ch).clear();
        if (before === 'live') {
          await ch.client.command({
            query: `INSERT INTO ${ch.database}.events (event_id, dt, event, user_id, screen, received_at)
VALUES ('live-${live++}', '2024-06-28 12:00:00', 'view', 'live', 'main', now64(3))`,
          });
        }
        const t0 = performance.now();
        const res = await app.request(path);
        await res.text();
        status = res.status;
        if (i >= 2) times.push(performance.now() - t0); // the first two warm the caches
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${name} | ${status} | ${quantile(times, 0.5).toFixed(0)} | ${quantile(times, 0.99).toFixed(0)} |`);
    }
    progress('reports: query', steps, steps);
    const table = ['| report | status | p50 ms | p99 ms |', '|---|---:|---:|---:|', ...rows].join('\n');
    console.log(`\n${table}`);
    writeSection(
      'reports',
      'Reports over 10 million events',
      'npm run bench -- reports',
      `On the embedded engine (chDB ${ch.version}): ${n.toLocaleString('en')} generic events over ${DAYS} days ` +
        `(50,000 users) and\n${(n / 10).toLocaleString('en')} page visits, made by ClickHouse (INSERT ... SELECT ` +
        `FROM numbers(), ${insertSeconds.toFixed(0)} s,
the marts' views filling as they go). Each report through the reading API in-process (hono's app.request, no socket),
22 times (fewer, at least 5, when a report takes over 20 s in all); the first two are not counted. Target: p99 ≤ 200
ms for six months of activity. Activity and daily keep past days' rows in the reader's day cache, checked against the
rows each day got: *cold* empties the cache before each run (every date computed); *live* inserts one event on the
range's last day before each run, as a running pipeline does, so that date is computed again and the rest is cached.

${table}

On the old 18.16 server every report answers 501: it has no query parameters, and no client value is spliced into SQL.`,
    );
  } finally {
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
