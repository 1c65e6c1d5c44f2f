// Points of presence (#24): a hub (nats-server with JetStream domain `hub`, the sink, ClickHouse) and a POP (its own
// nats-server, domain `pop1`, a leaf connection to the hub through a proxy the test can cut, and a collector). The
// POP's collector answers 202 once the POP's stream has an event; the hub's stream EVENTS sources the POP's, so the
// sink inserts it. The leaf connection carries no events either way: each arrives once. Cut off, the POP keeps
// accepting; when the link is back, every event it accepted lands, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { startSink, type RunningSink } from '../sink/mod.ts';
import { applyConfiguredTopology, EVENTS_STREAM } from '../streams/mod.ts';
import {
  countReaches,
  defaultCatalog,
  natsServerBinary,
  postJson,
  rows,
  startClickHouseServer,
  startNatsServer,
  startTcpProxy,
  storedEvents,
  waitFor,
  type ClickHouseServer,
  type NatsServer,
  type TcpProxy,
} from './support/mod.ts';

interface Ctx {
  dir: string;
  hub: NatsServer;
  pop: NatsServer;
  link: TcpProxy;
  clickhouse: ClickHouseServer;
  sink: RunningSink;
  collector: RunningCollector;
  reader: RunningReader;
}
const test = suite<Ctx>('points of presence');

const settings = (ctx: Ctx, env: Record<string, string>) =>
  loadConfig({
    CLICKHOUSE_URL: ctx.clickhouse.url,
    DATA_DIR: join(ctx.dir, 'data'),
    HOST: '127.0.0.1',
    PORT: '0',
    SINK_PORT: '0',
    SINK_RETRY_BASE_MS: '200',
    SINK_RETRY_MAX_MS: '1000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });

async function apply(url: string, env: Record<string, string>) {
  const nc = await connect({ servers: url });
  await applyConfiguredTopology(nc, loadConfig({ NATS_URL: url, ...env }), defaultCatalog());
  await nc.close();
}

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-edge-'));
  const binary = natsServerBinary();
  // The link: a proxy the hub also advertises, so the POP reconnects through it too.
  ctx.link = await startTcpProxy(() => ctx.hub.leafPort!);
  const hub = `nats-leaf://127.0.0.1:${ctx.link.port}`;
  const leaves = { advertise: `127.0.0.1:${ctx.link.port}` };
  ctx.hub = await startNatsServer({ dir: join(ctx.dir, 'hub'), binary, edge: { domain: 'hub', leaves } });
  ctx.pop = await startNatsServer({ dir: join(ctx.dir, 'pop1'), binary, edge: { domain: 'pop1', hub } });
  ctx.clickhouse = await startClickHouseServer({ dir: join(ctx.dir, 'clickhouse') });
  await apply(ctx.hub.url, { EDGE_POP_DOMAINS: 'pop1' });
  // The sink publishes the catalog and makes the privacy register: the POP mirrors both.
  ctx.sink = await startSink(settings(ctx, { NATS_URL: ctx.hub.url }));
  await apply(ctx.pop.url, { EDGE_HUB_DOMAIN: 'hub' });
  ctx.collector = await startCollector(settings(ctx, { NATS_URL: ctx.pop.url }));
  // The hub's reader: its console's overview shows the POPs.
  ctx.reader = await startReader(settings(ctx, { NATS_URL: ctx.hub.url, READER_PORT: '0' }), {
    clickhouse: ctx.sink.clickhouse,
  });
});

test.after(async (ctx) => {
  await ctx.reader?.stop();
  await ctx.collector?.stop();
  await ctx.sink?.stop();
  await ctx.link?.close();
  await ctx.pop?.stop();
  await ctx.hub?.stop();
  await ctx.clickhouse?.stop();
  if (ctx.dir && !process.env.KEEP) rmSync(ctx.dir, { recursive: true, force: true });
});

const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    event_id: `edge-${from + i}`,
    dt: '2024-06-01T10:00:00Z',
    event: 'edge',
    user_id: `u${(from + i) % 7}`,
  }));

async function send(ctx: Ctx, from: number, n: number) {
  for (let i = 0; i < n; i += 100) {
    const res = await postJson(`http://127.0.0.1:${ctx.collector.port}/v1/events`, batch(from + i, 100));
    assert.is(res.status, 202, res.text);
  }
}

const landed = (ctx: Ctx, n: number, timeoutMs?: number) =>
  countReaches(ctx.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'edge'", n, timeoutMs);

/** The POPs as the hub's console overview shows them. */
async function pops(ctx: Ctx): Promise<{ domain: string; lag: number; active_seconds_ago: number | null }[]> {
  const res = await fetch(`http://127.0.0.1:${ctx.reader.port}/console/api/overview`);
  return (await res.json()).pops;
}

/** Each event of the hub's stream once; the POP's stream has the POP's only. */
async function streamsHoldOnce(ctx: Ctx, expected: number) {
  const hub = (await storedEvents(ctx.hub.url)).map((e) => e.event_id as string).filter((id) => id.startsWith('edge-'));
  assert.is(hub.length, expected, 'the hub stream: every event');
  assert.is(new Set(hub).size, hub.length, 'the hub stream: none twice');
  const pop = (await storedEvents(ctx.pop.url)).map((e) => e.event_id as string);
  assert.ok(
    pop.every((id) => id.startsWith('edge-')),
    "the POP's stream holds no hub event",
  );
}

test("an event taken at the POP lands at the hub once; the hub's own do not reach the POP", async (ctx) => {
  await send(ctx, 0, 200);
  assert.is(await landed(ctx, 200, 60_000), 200);
  const nc = await connect({ servers: ctx.hub.url });
  const own = { event_id: 'at-hub', dt: '2024-06-01T10:00:00Z', event: 'hub', user_id: 'h' };
  await jetstream(nc).publish('events.generic', JSON.stringify(own));
  await nc.close();
  await new Promise((r) => setTimeout(r, 1000));
  await streamsHoldOnce(ctx, 200);
});

test('cut off, the POP keeps answering 202; back, every event it took lands once', async (ctx) => {
  await ctx.link.cut();
  const started = Date.now();
  await send(ctx, 1000, 300);
  await new Promise((r) => setTimeout(r, 2000));
  const [during] = await rows<{ n: string }>(
    ctx.sink,
    "SELECT count() AS n FROM edge_events.events WHERE event = 'edge'",
  );
  assert.is(Number(during!.n), 200, 'nothing crosses a cut link');
  // Tens of seconds cut off, still taking events.
  for (let next = 2000; Date.now() - started < 20_000; next += 100) {
    await send(ctx, next, 100);
    await new Promise((r) => setTimeout(r, 2000));
  }
  const sent = (await storedEvents(ctx.pop.url)).length;
  const [cut] = await pops(ctx);
  assert.is(cut?.domain, 'pop1');
  await ctx.link.heal();
  const healed = Date.now();
  assert.is(await landed(ctx, sent, 180_000), sent);
  const seconds = ((Date.now() - healed) / 1000).toFixed(1);
  console.log(`  the ${sent - 200} events taken while cut off landed ${seconds} s after the link came back`);
  await streamsHoldOnce(ctx, sent);
  const nc = await connect({ servers: ctx.hub.url });
  const source = (await (await jetstreamManager(nc)).streams.info(EVENTS_STREAM)).sources?.[0];
  await nc.close();
  assert.is(source?.lag, 0, 'nothing left to source');
  await waitFor('the console to show pop1 caught up', async () => {
    const [pop] = await pops(ctx);
    return pop && pop.lag === 0 && pop.active_seconds_ago !== null ? true : undefined;
  });
});

test.run();
