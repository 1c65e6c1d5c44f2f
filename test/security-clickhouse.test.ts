// The reader's read-only ClickHouse user of the Kubernetes manifests (issue #22: "use a read-only ClickHouse user in
// Kubernetes"), on a real clickhouse-server (Debian's 18.16) loading deploy/k8s/base/clickhouse/reader-user.xml as it
// is into users.d, with the password in its environment as the pod has it. The pipeline writes as the writer's user
// (here `default`, the sink's); a reader starts as the read-only user, and its reads, with the SETTINGS clause of
// limits every read carries (reader/select.ts), pass. Then whoever holds the reader's password (a compromised reader
// pod) tries to write, change or drop the schema, or lower readonly: each is refused, and nothing changed. 18.16
// ignores the file's <grants> (SELECT on edge_events alone, enforced by the 24.8 of the manifests, which the manifests
// test checks is there), and its reader answers its API with 501 (no query parameters before 19.11).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import { limitedQuery, startReader, type RunningReader } from '../reader/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { startSink, type RunningSink } from '../sink/mod.ts';
import {
  applyStreams,
  countReaches,
  postJson,
  rows,
  startClickHouseServer,
  startNatsServer,
  type ClickHouseServer,
  type NatsServer,
} from './support/mod.ts';

const USER_FILE = 'deploy/k8s/base/clickhouse/reader-user.xml';
/** As the reader Deployment and the ClickHouse StatefulSet name them (the manifests test holds them together). */
const READER_USER = 'edge_events_reader';
const PASSWORD_VARIABLE = 'CLICKHOUSE_READER_PASSWORD';
const READ_KEY = 'read-key-12345678';
const DT = '2024-06-01T10:00:00Z';

interface Ctx {
  dir: string;
  password: string;
  nats: NatsServer;
  clickhouse: ClickHouseServer;
  sink: RunningSink;
  collector: RunningCollector;
  reader: RunningReader;
}
const test = suite<Ctx>("security: the reader's read-only ClickHouse user (deploy/k8s) on ClickHouse 18.16");

const config = (ctx: Ctx, env: Record<string, string> = {}) =>
  loadConfig({
    NATS_URL: ctx.nats.url,
    CLICKHOUSE_URL: ctx.clickhouse.url,
    DATA_DIR: join(ctx.dir, 'data'),
    HOST: '127.0.0.1',
    PORT: '0',
    SINK_PORT: '0',
    READER_HOST: '127.0.0.1',
    READER_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-ch-users-'));
  ctx.password = `p${randomBytes(16).toString('hex')}`;
  const file = readFileSync(USER_FILE, 'utf8');
  assert.ok(file.includes(`<${READER_USER}>`) && file.includes(`from_env="${PASSWORD_VARIABLE}"`), USER_FILE);
  ctx.nats = await startNatsServer({ dir: join(ctx.dir, 'nats') });
  ctx.clickhouse = await startClickHouseServer({
    dir: join(ctx.dir, 'clickhouse'),
    users: { 'edge-events-reader.xml': file },
    env: { [PASSWORD_VARIABLE]: ctx.password },
  });
  const writer = config(ctx);
  await applyStreams(writer);
  ctx.sink = await startSink(writer);
  ctx.collector = await startCollector(writer);
  const event = { event_id: 'ro-row', dt: DT, event: 'view', user_id: 'u1' };
  assert.is((await postJson(`http://127.0.0.1:${ctx.collector.port}/v1/events`, event)).status, 202);
  await countReaches(ctx.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'ro-row'", 1);
  // It logs in at start (connectClickHouse asks for the version): with another user's password it would not start.
  ctx.reader = await startReader(readerConfig(ctx));
});
test.after(async (ctx) => {
  await ctx.reader?.stop();
  await ctx.collector?.stop();
  await ctx.sink?.stop();
  await ctx.clickhouse?.stop();
  await ctx.nats?.stop();
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

const readerConfig = (ctx: Ctx) =>
  config(ctx, { CLICKHOUSE_USER: READER_USER, CLICKHOUSE_PASSWORD: ctx.password, READ_KEYS: READ_KEY });

/** One query over ClickHouse's HTTP interface as `user`, as a client holding that password sends it. */
async function ask(ctx: Ctx, query: string, opts: { user?: string; password?: string; params?: string } = {}) {
  const user = opts.user ?? READER_USER;
  const password = opts.password ?? ctx.password;
  const url = `${ctx.clickhouse.url}/?user=${user}&password=${encodeURIComponent(password)}${opts.params ?? ''}`;
  const res = await fetch(url, { method: 'POST', body: query });
  return { status: res.status, text: (await res.text()).trim() };
}
const asWriter = (ctx: Ctx, query: string) => ask(ctx, query, { user: 'default', password: '' });

/** What the writer sees: the databases, the tables of edge_events, the rows of table events. */
async function state(ctx: Ctx) {
  const [databases, tables, count] = await Promise.all([
    asWriter(ctx, 'SELECT name FROM system.databases ORDER BY name'),
    asWriter(ctx, "SELECT name FROM system.tables WHERE database = 'edge_events' ORDER BY name"),
    asWriter(ctx, 'SELECT count() FROM edge_events.events'),
  ]);
  return { databases: databases.text, tables: tables.text, count: count.text };
}

test('the reader starts as the read-only user; its reads, with their SETTINGS clause of limits, pass', async (ctx) => {
  const ready = await fetch(`http://127.0.0.1:${ctx.reader.port}/readyz`);
  assert.is(ready.status, 200);
  // The reader's own connection (connectClickHouse with its configuration), its reads as reader/select.ts sends them.
  const ch = await connectClickHouse(readerConfig(ctx).clickhouse, ctx.dir);
  try {
    const read = async (query: string) => {
      const rs = await ch.client.query({ query, format: 'JSONEachRow' });
      return (await rs.json<Record<string, string | number>>()).map((r) => Object.values(r).join());
    };
    const limits = { seconds: 7, memoryBytes: 500_000_000 };
    assert.equal(await read(limitedQuery('SELECT count() AS n FROM edge_events.events', limits)), ['1']);
    const names =
      "SELECT value FROM system.settings WHERE name IN ('readonly', 'max_execution_time', 'max_memory_usage') " +
      'ORDER BY name';
    assert.equal(await read(limitedQuery(names, limits)), ['7', '500000000', '2'], 'the limits hold for the read');
    assert.equal(
      await read("SELECT value FROM system.settings WHERE name = 'readonly'"),
      ['2'],
      'readonly = 2 without asking: the profile of the user',
    );
  } finally {
    await ch.close();
  }
});

test('holding the reader password: writes, schema changes and drops are refused, and nothing changed', async (ctx) => {
  const before = await state(ctx);
  assert.is(before.count, '1');
  for (const query of [
    'INSERT INTO edge_events.events SELECT * FROM edge_events.events',
    'CREATE TABLE edge_events.planted (x UInt8) ENGINE = Memory',
    'CREATE DATABASE planted',
    'ALTER TABLE edge_events.events DELETE WHERE 1',
    'ALTER TABLE edge_events.events DROP COLUMN user_id',
    'RENAME TABLE edge_events.events TO edge_events.gone',
    'TRUNCATE TABLE edge_events.events',
    'OPTIMIZE TABLE edge_events.events FINAL',
    'DROP TABLE edge_events.events',
    'DROP DATABASE edge_events',
  ]) {
    const res = await ask(ctx, query);
    assert.is.not(res.status, 200, query);
    assert.match(res.text, /Code: 164\b/, `${query}: refused in readonly mode`);
  }
  assert.equal(await state(ctx), before);
  const written = await rows(ctx.sink, "SELECT event_id FROM edge_events.events WHERE event_id = 'ro-row'");
  assert.equal(written, [{ event_id: 'ro-row' }]);
});

test('holding the reader password: readonly cannot be lowered, by URL or by SETTINGS', async (ctx) => {
  const before = await state(ctx);
  const insert = 'INSERT INTO edge_events.events SELECT * FROM edge_events.events';
  for (const [query, params] of [
    [insert, '&readonly=0'],
    [`${insert} SETTINGS readonly = 0`, ''],
    ['SELECT 1 SETTINGS readonly = 0', ''],
    ['SELECT 1', '&readonly=0'],
  ] as const) {
    const res = await ask(ctx, query, { params });
    assert.is.not(res.status, 200, `${query} ${params}`);
    assert.match(res.text, /Code: 164\b/, `${query} ${params}: refused in readonly mode`);
  }
  assert.equal(await state(ctx), before);
});

test('a wrong password is refused', async (ctx) => {
  const wrong = await ask(ctx, 'SELECT 1', { password: 'not-the-password' });
  assert.is.not(wrong.status, 200);
  assert.match(wrong.text, /Code: 193\b/);
});

test.run();
