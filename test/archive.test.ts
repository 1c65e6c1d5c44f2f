// The cold tier against a real S3-compatible server (s3rver on loopback, behind a proxy the test steers): every event
// that got a 2xx is in the archive once; the archiver killed -9 after storing a file it never heard back about comes
// back without duplicating or losing anything; the store down for a while holds the archiver (retrying) but not the
// sink, and the archive catches up; a replay of a dropped hot-table partition brings the rows back exactly once, with
// their values, and is not archived again; ClickHouse reads the archive with s3(); `npm run archive -- list` counts it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  archivedFiles,
  openStore,
  readParquet,
  replay,
  startArchiver,
  typeNamed,
  type ObjectStore,
} from '../archive/mod.ts';
import type { Config } from '../shared/config/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { ARCHIVER_CONSUMER, connectNats, createPublisher } from '../streams/mod.ts';
import {
  defaultCatalog,
  processEnv,
  rows,
  runLoad,
  spawnService,
  startPipeline,
  startS3,
  startServices,
  waitFor,
  waitUntilAcked,
  type LoadResult,
  type Pipeline,
  type S3,
  type Services,
} from './support/mod.ts';

const run = promisify(execFile);

/** How often each event id appears in the archive's files of the fallback type. */
async function archivedIds(store: ObjectStore): Promise<Map<string, number>> {
  const type = typeNamed(defaultCatalog(), 'events');
  const counts = new Map<string, number>();
  for (const file of await archivedFiles(store, { table: 'events' }))
    for (const row of await readParquet(type, await store.get(file.key))) {
      const id = String(row.event_id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  return counts;
}

/** Once the archiver has acked every message: missing, duplicated, refused-yet-archived. */
async function checkArchive(natsUrl: string, store: ObjectStore, load: LoadResult, timeoutMs = 60_000) {
  await waitUntilAcked(natsUrl, timeoutMs, ARCHIVER_CONSUMER);
  const ids = await archivedIds(store);
  return {
    missing: [...load.accepted].filter((id) => !ids.has(id)).length,
    duplicated: [...ids].filter(([, n]) => n > 1).length,
    leaked: [...load.rejected].filter((id) => ids.has(id)).length,
  };
}

const test = suite<{ services: Services; s3: S3; dir: string }>('archive');
test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-s3-'));
  ctx.services = await startServices('embedded');
  ctx.s3 = await startS3(ctx.dir);
});
test.after(async (ctx) => {
  await ctx.s3?.close();
  await ctx.services?.cleanup();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const small = { ARCHIVE_FLUSH_SECONDS: '1', ARCHIVE_FILE_BYTES: '65536' };

test('every event that got a 2xx is archived once; s3() reads it; replay restores a dropped partition', async (ctx) => {
  const env = { ...small, ...ctx.s3.env('once') };
  const p: Pipeline = await startPipeline(ctx.services, env);
  const cfg: Config = ctx.services.config(env);
  const archiver = await startArchiver(cfg);
  try {
    const load = await runLoad({
      url: p.url,
      tag: 'archive_once',
      total: 3000,
      batch: 50,
      concurrency: 4,
      invalidEvery: 50,
    });
    assert.ok(load.accepted.size > 2900 && load.rejected.size > 0);
    const store = openStore(cfg.archive);
    assert.equal(await checkArchive(cfg.nats.url!, store, load), { missing: 0, duplicated: 0, leaked: 0 });
    const files = await archivedFiles(store, { table: 'events' });
    assert.ok(files.length > 1, `files of at most ARCHIVE_FILE_BYTES of events: ${files.length}`);
    assert.match(files[0]!.key, /^type=events\/date=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d{12}-\d{12}\.parquet$/);

    // ClickHouse reads the archive where it lies (the embedded engine here; a server the same way).
    const s3 = `s3('${ctx.s3.endpoint}/${ctx.s3.bucket}/once/type=events/**/*.parquet', 'S3RVER', 'S3RVER', 'Parquet')`;
    const [cold] = await rows<{ n: string; ids: string }>(
      p.sink,
      `SELECT count() AS n, uniqExact(event_id) AS ids FROM ${s3} WHERE event = 'archive_once'`,
    );
    assert.equal([Number(cold!.n), Number(cold!.ids)], [load.accepted.size, load.accepted.size]);

    // The hot table loses the partition; the replay of its hours brings every row back, once, with its values.
    const where = "event = 'archive_once'";
    const before = await rows(p.sink, `SELECT * FROM edge_events.events FINAL WHERE ${where} ORDER BY event_id`);
    assert.is(before.length, load.accepted.size);
    const [part] = await rows<{ p: string }>(
      p.sink,
      `SELECT DISTINCT _partition_id AS p FROM edge_events.events WHERE ${where}`,
    );
    await p.sink.clickhouse.client.command({ query: `ALTER TABLE edge_events.events DROP PARTITION ID '${part!.p}'` });
    assert.is((await rows(p.sink, `SELECT event_id FROM edge_events.events WHERE ${where}`)).length, 0);
    const link = await connectNats(cfg.nats.url!, 'replay test', createLogger('test', 'silent'));
    const publisher = createPublisher(link, { timeoutMs: 5000, maxEventsPerMessage: 500 });
    const type = typeNamed(defaultCatalog(), 'events');
    const hour = Date.parse(`${files[0]!.date}T${files[0]!.hour}:00:00Z`);
    const done = await replay(store, publisher, type, { from: hour, to: Date.now() + 3_600_000 });
    await link.nc.drain();
    assert.ok(done.events >= load.accepted.size, `replayed ${done.events}`);
    await waitFor(
      'the replayed rows',
      async () => {
        const [r] = await rows<{ n: string }>(
          p.sink,
          `SELECT uniqExact(event_id) AS n FROM edge_events.events WHERE ${where}`,
        );
        return Number(r!.n) === load.accepted.size ? true : undefined;
      },
      30_000,
    );
    const after = await rows(p.sink, `SELECT * FROM edge_events.events FINAL WHERE ${where} ORDER BY event_id`);
    const strip = (r: Record<string, unknown>) => ({ ...r, inserted_at: undefined });
    assert.equal(after.map(strip), before.map(strip), 'the same rows, the same values, once each');
    await waitUntilAcked(cfg.nats.url!, 30_000, ARCHIVER_CONSUMER);
    assert.ok(archiver.stats.skipped > 0, 'the archiver saw the replayed messages, and skipped them');
    assert.equal(
      await checkArchive(cfg.nats.url!, store, load),
      { missing: 0, duplicated: 0, leaked: 0 },
      'a replay is not archived again',
    );

    // npm run archive -- list: what the archive holds, counted from the files' footers.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'cli/archive.ts', 'list'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    });
    const line = stdout.split('\n').find((l) => l.startsWith('events\t'))!;
    assert.is(Number(line.split('\t')[3]), load.accepted.size, stdout);
  } finally {
    await archiver.stop();
    await p.stop();
  }
});

test('kill -9 after a file is stored but before its answer: back up, nothing missing, nothing twice', async (ctx) => {
  const env = await processEnv(ctx.services, { ...small, ...ctx.s3.env('crash') });
  const p = await startPipeline(ctx.services, env);
  const archiver = await spawnService('archiver', env, ctx.services.dir);
  try {
    ctx.s3.holdPuts(3000);
    const held = ctx.s3.putHeld();
    const loading = runLoad({
      url: p.url,
      tag: 'archive_crash',
      total: 3000,
      batch: 50,
      concurrency: 2,
      invalidEvery: 0,
    });
    await held;
    await archiver.kill();
    ctx.s3.holdPuts(0);
    await archiver.start();
    const load = await loading;
    const store = openStore(ctx.services.config(env).archive);
    assert.equal(await checkArchive(env.NATS_URL!, store, load, 90_000), { missing: 0, duplicated: 0, leaked: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${env.ARCHIVE_PORT}/metrics`)).text();
    const skipped = Number(/^edge_events_archive_skipped_total (\d+)/m.exec(metrics)?.[1]);
    assert.ok(skipped > 0, 'the redelivered messages of the stored file were found there, not written again');
  } finally {
    ctx.s3.holdPuts(0);
    await archiver.terminate();
    await p.stop();
  }
});

test('the store down: the archiver retries and holds, the sink inserts all; then it catches up', async (ctx) => {
  const env = { ...small, ...ctx.s3.env('outage') };
  const p = await startPipeline(ctx.services, env);
  const cfg = ctx.services.config(env);
  const archiver = await startArchiver(cfg);
  try {
    await ctx.s3.stop();
    const load = await runLoad({
      url: p.url,
      tag: 'archive_outage',
      total: 2000,
      batch: 50,
      concurrency: 2,
      invalidEvery: 0,
    });
    await waitFor(
      'the sink to insert everything meanwhile',
      async () => {
        const [r] = await rows<{ n: string }>(
          p.sink,
          "SELECT uniqExact(event_id) AS n FROM edge_events.events WHERE event = 'archive_outage'",
        );
        return Number(r!.n) === load.accepted.size ? true : undefined;
      },
      30_000,
    );
    await waitFor('a failed write to be retried', async () => (archiver.stats.storeErrors >= 2 ? true : undefined));
    assert.is(archiver.stats.files, 0);
    await ctx.s3.start();
    assert.equal(await checkArchive(cfg.nats.url!, openStore(cfg.archive), load, 60_000), {
      missing: 0,
      duplicated: 0,
      leaked: 0,
    });
  } finally {
    await ctx.s3.start().catch(() => {});
    await archiver.stop();
    await p.stop();
  }
});

test.run();
