// Attacks on the catalog as data (issue #22): whoever can write the NATS KV bucket `catalog` puts values straight
// into it (a table named `x; DROP TABLE events`, a field with a backtick, a table `../../../escape-…`, a value that
// is not JSON, types that do not compile) while a sink, a collector and an archiver follow it, and then sends
// events of those types (to the collector, and raw onto the stream). Each value is refused and logged by every
// process, the catalog in force stays, nothing is created or dropped in ClickHouse, no file is written outside the
// archive folder; a sink started meanwhile starts on the newest valid version, and a valid version published after
// the poison is followed as usual.
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startArchiver, type RunningArchiver } from '../archive/mod.ts';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import type { Config } from '../shared/config/mod.ts';
import { startSink, type RunningSink } from '../sink/mod.ts';
import { digestOf, openCatalogRegistry } from '../streams/mod.ts';
import { applyStreams, postJson, rows, startServices, waitFor, type Services } from './support/mod.ts';

const REFUSED = 'a published catalog version is refused; the catalog in force stays';
const TOKEN = `escape-${process.pid}-${Date.now()}`;

interface Ctx {
  services: Services;
  cfg: Config;
  nc: NatsConnection;
  sink: RunningSink;
  collector: RunningCollector;
  archiver: RunningArchiver;
  logs: Record<string, Record<string, unknown>[]>;
}

/** A logger whose lines the test reads. */
function capture(ctx: Ctx, svc: string) {
  const lines: Record<string, unknown>[] = (ctx.logs[svc] = []);
  return pino({ level: 'info', base: { svc } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
}

const test = suite<Ctx>('security: the catalog as data');
test.before(async (ctx) => {
  ctx.logs = {};
  ctx.services = await startServices('server');
  ctx.cfg = ctx.services.config({
    ARCHIVE_URL: join(ctx.services.dir, 'deep', 'er', 'archive'),
    ARCHIVE_FLUSH_SECONDS: '1',
  });
  await applyStreams(ctx.cfg);
  ctx.sink = await startSink(ctx.cfg, capture(ctx, 'sink'));
  ctx.collector = await startCollector(ctx.cfg, capture(ctx, 'collector'));
  ctx.archiver = await startArchiver(ctx.cfg, capture(ctx, 'archiver'));
  ctx.nc = await connect({ servers: ctx.cfg.nats.url! });
});
test.after(async (ctx) => {
  await ctx.nc?.close();
  await ctx.collector?.stop();
  await ctx.archiver?.stop();
  await ctx.sink?.stop();
  await ctx.services?.cleanup();
});

/** Every table and view outside the system databases, and every database. */
async function clickhouseObjects(sink: RunningSink): Promise<string[]> {
  const tables = await rows<{ t: string }>(
    sink,
    "SELECT concat(database, '.', name) AS t FROM system.tables " +
      "WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') ORDER BY t",
  );
  const dbs = await rows<{ name: string }>(sink, 'SELECT name FROM system.databases ORDER BY name');
  return [...dbs.map((d) => `db ${d.name}`), ...tables.map((r) => r.t)];
}

/** Paths under `dir` (depth-first, links not followed) whose name holds the token. */
function escaped(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return [...(e.name.includes(TOKEN) ? [path] : []), ...(e.isDirectory() ? escaped(path) : [])];
  });
}

/** A type spec as the files' schema writes it (defaults filled in). */
const typeSpec = (over: Record<string, unknown>) => ({
  name: 'Evil',
  description: 'an attacker’s type',
  time: 'at',
  unknown_fields: 'reject',
  fields: { at: { type: 'datetime' }, user_id: { type: 'id' } },
  ...over,
});

/** A value as a publisher writes it: the shipped types plus `extra`, with a digest that matches. */
function envelope(ctx: Ctx, version: number, extra: Record<string, unknown>[]): string {
  const types = [...ctx.sink.catalog().types.map((t) => t.spec), ...extra];
  return JSON.stringify({ version, digest: digestOf(types), types, published_at: new Date().toISOString() });
}

const POISONS: { what: string; key?: string; value: (ctx: Ctx) => string }[] = [
  {
    what: 'a table named with SQL in it',
    key: 'evil',
    value: (ctx) => envelope(ctx, 2, [typeSpec({ table: 'x; DROP TABLE events' })]),
  },
  {
    what: 'a field named with a backtick',
    key: 'tick',
    value: (ctx) =>
      envelope(ctx, 2, [
        typeSpec({ name: 'Tick', fields: { at: { type: 'datetime' }, 'a` String, b': { type: 'id' } } }),
      ]),
  },
  {
    what: 'a table that climbs out of the archive folder',
    key: 'escape_type',
    value: (ctx) => envelope(ctx, 2, [typeSpec({ name: 'EscapeType', table: `../../../../${TOKEN}` })]),
  },
  {
    what: 'an existing type whose table and sort key are rewritten',
    value: (ctx) => {
      const types = ctx.sink
        .catalog()
        .types.map((t) =>
          t.table === 'events'
            ? { ...t.spec, table: 'events`; DROP TABLE `events', order_by: ['dt) TTL dt --'] }
            : t.spec,
        );
      return JSON.stringify({ version: 2, digest: digestOf(types), types, published_at: '' });
    },
  },
  { what: 'a value that is not JSON', value: () => '{"version": 2, "types": [' },
  {
    what: 'types that do not compile (time names no field)',
    key: 'broken',
    value: (ctx) => envelope(ctx, 2, [typeSpec({ name: 'Broken', time: 'missing' })]),
  },
  {
    what: 'a version claiming a far number, types not a list',
    value: () => JSON.stringify({ version: 50, digest: 'x', types: 'DROP TABLE events', published_at: '' }),
  },
];

test('poisoned versions put straight into the bucket are refused by every follower; nothing is done', async (ctx) => {
  const kv = await new Kvm(ctx.nc).open('catalog');
  const js = jetstream(ctx.nc);
  const before = await clickhouseObjects(ctx.sink);
  const inForce = ctx.sink.catalog();
  assert.is(inForce.version, 1);
  const archiveRoot = ctx.cfg.archive.url;

  for (const poison of POISONS) {
    const revision = await kv.put('current', poison.value(ctx));
    for (const svc of ['sink', 'collector', 'archiver']) {
      await waitFor(`${svc} to refuse revision ${revision} (${poison.what})`, async () =>
        ctx.logs[svc]!.some((l) => l.msg === REFUSED && String(l.err).includes(`revision ${revision}`))
          ? true
          : undefined,
      );
    }
    assert.is(ctx.sink.catalog(), inForce, `${poison.what}: the sink's catalog in force stays`);
    if (poison.key) {
      // Events of the poisoned type: the collector does not know it, and raw messages on its subject are not stored.
      const res = await postJson(`http://127.0.0.1:${ctx.collector.port}/v1/events/${poison.key}`, {
        at: '2024-06-01T12:00:00Z',
        user_id: 'u1',
      });
      assert.is(res.status, 404, `${poison.what}: ${res.text}`);
      await js.publish(`events.${poison.key}`, JSON.stringify({ at: '2024-06-01 12:00:00', user_id: 'u1' }));
    }
  }
  const line = ctx.logs.archiver!.find((l) => l.msg === REFUSED)!;
  assert.match(String(line.err), /types\[\d+\]\.table: expected a table name in snake_case/, 'the reason is logged');
  assert.is(line.in_force, 1);

  // The catalog in force still works: an event lands in ClickHouse and in the archive, as version 1.
  const ok = await postJson(`http://127.0.0.1:${ctx.collector.port}/v1/events/page_visit`, {
    event_id: 'still-works',
    timestamp: '2024-06-01T12:00:00Z',
    user_id: 7,
    page_id: 3,
  });
  assert.is(ok.status, 202, ok.text);
  await waitFor('the event in ClickHouse', async () => {
    const [row] = await rows<{ v: number }>(
      ctx.sink,
      "SELECT catalog_version AS v FROM edge_events.page_visit WHERE event_id = 'still-works'",
    );
    return row ? row.v : undefined;
  }).then((v) => assert.is(v, 1));
  await waitFor('the archive file', async () => (ctx.archiver.stats.files > 0 ? true : undefined), 30_000);
  await new Promise((r) => setTimeout(r, 2500)); // the archiver's next flush: the poisoned subjects get none

  assert.equal(await clickhouseObjects(ctx.sink), before, 'nothing created or dropped in ClickHouse');
  assert.equal(escaped(ctx.services.dir), [], 'nothing written outside the archive folder');
  assert.equal(escaped(tmpdir()), []);
  assert.equal(
    readdirSync(archiveRoot).filter((d) => !/^type=[a-z_][a-z0-9_]*$/.test(d)),
    [],
    'the archive holds only folders of real tables',
  );
});

test('a sink starting while poison is newest takes the newest valid version; a valid one follows', async (ctx) => {
  const before = await clickhouseObjects(ctx.sink);
  const logs = capture(ctx, 'second sink');
  const second = await startSink({ ...ctx.cfg, sink: { ...ctx.cfg.sink, port: 0 } }, logs);
  try {
    assert.is(second.catalog().version, 1, 'the newest valid version');
    assert.ok(
      ctx.logs['second sink']!.some((l) => l.msg === 'the newest published catalog value is refused'),
      'the refusal is logged at start',
    );
    assert.equal(await clickhouseObjects(ctx.sink), before, 'its migration applied the valid catalog only');

    // A valid version published now comes after the number the poison claimed, and every follower takes it.
    const registry = (await openCatalogRegistry(ctx.nc, { create: false }))!;
    const latest = await registry.latest();
    assert.ok(latest.refused, 'the newest value is still the poisoned one');
    assert.is(latest.published?.version, 1);
    const specs = ctx.sink.catalog().types.map((t, i) => (i ? t.spec : { ...t.spec, description: 'described anew' }));
    const published = await registry.publish(specs, latest);
    assert.is(published?.version, 51);
    for (const sink of [ctx.sink, second])
      await waitFor('the valid version in force', async () => (sink.catalog().version === 51 ? true : undefined));
    const collectorTook = () =>
      ctx.logs.collector!.some((l) => l.msg === 'catalog version in force' && l.version === 51) ? true : undefined;
    await waitFor('the collector to take it', async () => collectorTook());
  } finally {
    await second.stop();
  }
});

test.run();
