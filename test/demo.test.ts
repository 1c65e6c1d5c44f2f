// `npm run demo` on the embedded engine, through the real collector: every event is accepted, the reports show the
// shapes the seeds' users saw (daily activity with quieter weekends, tasks tried and solved, shop sessions), and
// sending the demo again adds no rows to results.
import * as assert from 'uvu/assert';
import { demoSize, sendDemo } from '../demo/mod.ts';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { pipelineSuite, rows, waitUntilAcked, type Pipeline } from './support/mod.ts';

const DEMO = { days: 40, users: 20, end: '2024-06-30' };
const test = pipelineSuite<{ reader: RunningReader }>('demo data', {
  engine: 'embedded',
  stop: (ctx) => ctx.reader?.stop(),
});
test.before(async (ctx) => {
  ctx.reader = await startReader(ctx.services.config(), {
    clickhouse: ctx.p.sink.clickhouse,
    catalog: ctx.p.sink.catalog,
  });
});

const report = async (reader: RunningReader, path: string) =>
  (
    (await (await fetch(`http://127.0.0.1:${reader.port}/v1/reports/${path}`)).json()) as {
      rows: Record<string, number>[];
    }
  ).rows;
const stored = async (p: Pipeline) =>
  Number(
    (
      await rows<{ n: string }>(
        p.sink,
        'SELECT (SELECT count() FROM edge_events.events FINAL) + ' +
          '(SELECT count() FROM edge_events.page_visit FINAL) AS n',
      )
    )[0]!.n,
  );

test('sent through the collector, the reports show plausible shapes; sent twice, no row more', async ({
  services,
  p,
  reader,
}) => {
  let last = 0;
  const result = await sendDemo(p.url, DEMO, (sent) => (last = sent));
  assert.equal(result, { sent: demoSize(DEMO), refused: 0 });
  assert.is(last, result.sent, 'progress reached the total');
  await waitUntilAcked(services.nats.url, 60_000);

  const activity = await report(reader, 'activity?from=2024-06-01&to=2024-06-30');
  assert.is(activity.length, 30);
  assert.ok(
    activity.every((r) => r.dau! > 0 && r.dau! <= r.wau! && r.wau! <= r.mau!),
    JSON.stringify(activity.slice(0, 3)),
  );
  const weekend = activity.filter((r) => [0, 6].includes(new Date(`${r.date}T00:00:00Z`).getUTCDay()));
  const weekdays = activity.filter((r) => !weekend.includes(r));
  const mean = (xs: Record<string, number>[]) => xs.reduce((a, r) => a + r.dau!, 0) / xs.length;
  assert.ok(mean(weekend) < mean(weekdays), 'quieter weekends');
  const [june] = await report(reader, 'task-funnel?from=2024-06-01&to=2024-06-30');
  assert.ok(
    june!.solved! > 0 && june!.tried! > 0 && june!.total_users! >= june!.solved! + june!.tried!,
    JSON.stringify(june),
  );
  const solve = await report(reader, 'solve-ratio?from=2024-06-01&to=2024-06-30');
  assert.ok(solve.every((r) => r.solve_ratio! >= 0 && r.solve_ratio! <= 2));
  const sessions = await report(reader, 'sessions?type=PageVisit&from=2024-06-01&to=2024-06-30');
  assert.ok(sessions.reduce((n, r) => n + r.sessions!, 0) > 0);

  const before = await stored(p);
  await sendDemo(p.url, DEMO);
  await waitUntilAcked(services.nats.url, 60_000);
  assert.is(await stored(p), before, 'the same event_ids: no row more in results');
});

test.run();
