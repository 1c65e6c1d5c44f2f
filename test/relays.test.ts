// Relays against a real nats-server and a real HTTP receiver on loopback: the NATS relay republishes
// the chosen types to relay.<name>.<subject>; webhooks get NDJSON batches, are retried honouring
// Retry-After, and are dead-lettered when refused or after their last attempt.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as assert from 'uvu/assert';
import { eventsIn, readLetters, RELAYED_STREAM } from '../streams/mod.ts';
import { countReaches, postJson, servicesSuite, startPipeline, waitFor, type Pipeline } from './support/mod.ts';

interface Ctx {
  p: Pipeline;
  nc: NatsConnection;
  receiver: Server;
  got: Map<string, { status: number; at: number; lines: string[] }[]>;
  crm: string[];
}
// The pipeline is started here, after the receiver it relays to.
const test = servicesSuite<Ctx>('relays', {
  engine: 'server',
  async stop(ctx) {
    await ctx.p?.stop();
    await ctx.nc?.close();
    ctx.receiver?.close();
  },
});

test.before(async (ctx) => {
  ctx.got = new Map();
  let flaky = 0;
  ctx.receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const path = req.url!.slice(1);
      const status = path === 'refuse' ? 400 : path === 'down' ? 500 : path === 'flaky' && flaky++ < 2 ? 503 : 200;
      const log = ctx.got.get(path) ?? [];
      log.push({ status, at: Date.now(), lines: body.trim().split('\n') });
      ctx.got.set(path, log);
      res.writeHead(status, status === 503 ? { 'retry-after': '1' } : {}).end();
    });
  });
  await new Promise<void>((r) => ctx.receiver.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(ctx.receiver.address() as { port: number }).port}`;
  ctx.nc = await connect({ servers: ctx.services.nats.url });
  ctx.crm = [];
  const sub = ctx.nc.subscribe('relay.crm.>');
  void (async () => {
    // A relayed message holds one or more events, one JSON per line.
    for await (const m of sub)
      for (const e of eventsIn(m.data))
        ctx.crm.push(`${m.subject} ${JSON.parse(new TextDecoder().decode(e)).event_id}`);
  })();
  // A receiver on this machine: plain http, allowed per relay; each relay signs with the secret in HOOK_SECRET.
  const local = { allow_http: true, secret_env: 'HOOK_SECRET' };
  ctx.p = await startPipeline(ctx.services, {
    SINK_RETRY_BASE_MS: '100',
    HOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    RELAYS: JSON.stringify([
      { name: 'crm', kind: 'nats', types: ['PageVisit'] },
      { name: 'flaky', kind: 'webhook', url: `${base}/flaky`, types: ['PageVisit', 'CartAdd'], ...local },
      { name: 'refuse', kind: 'webhook', url: `${base}/refuse`, types: ['Ordering'], ...local },
      { name: 'down', kind: 'webhook', url: `${base}/down`, types: ['OrderCancel'], max_attempts: 2, ...local },
    ]),
  });
});

const ts = '2024-01-02T03:04:05Z';
const events = [
  { event: 'PageVisit', event_id: 'pv-1', timestamp: ts, user_id: 1, page_id: 1 },
  { event: 'PageVisit', event_id: 'pv-2', timestamp: ts, user_id: 1, page_id: 2 },
  { event: 'PageVisit', event_id: 'pv-3', timestamp: ts, user_id: 1, page_id: 3 },
  { event: 'CartAdd', event_id: 'ca-1', timestamp: ts, user_id: 1, item_id: 1 },
  { event: 'CartAdd', event_id: 'ca-2', timestamp: ts, user_id: 1, item_id: 2 },
  { event: 'Ordering', event_id: 'or-1', timestamp: ts, user_id: 1, order_id: 1 },
  { event: 'OrderCancel', event_id: 'oc-1', timestamp: ts, user_id: 1, order_id: 1 },
  { event: 'signup', event_id: 'g-1', dt: ts, user_id: 'u1' },
];

test(
  'each relay gets its types; retries honour Retry-After; ' + 'refusals and exhausted attempts are dead letters',
  async (ctx) => {
    assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);

    // NATS relay: exactly the three page visits, on relay.crm.<original subject>, and kept in RELAYED.
    await waitFor('3 relayed page visits', async () => (ctx.crm.length >= 3 ? true : undefined));
    assert.equal(ctx.crm.sort(), [
      'relay.crm.events.page_visit pv-1',
      'relay.crm.events.page_visit pv-2',
      'relay.crm.events.page_visit pv-3',
    ]);
    const jsm = await jetstreamManager(ctx.nc);
    assert.is(
      (await jsm.streams.info(RELAYED_STREAM)).state.messages,
      1,
      'sent in one request, the three share a message',
    );

    // Flaky webhook: 503 twice (Retry-After: 1), then every page visit and cart add, as NDJSON.
    await waitFor(
      'the flaky webhook to accept',
      async () => (ctx.got.get('flaky')?.some((r) => r.status === 200) ? true : undefined),
      20_000,
    );
    const flaky = ctx.got.get('flaky')!;
    assert.equal(
      flaky.slice(0, 3).map((r) => r.status),
      [503, 503, 200],
    );
    assert.ok(flaky[1]!.at - flaky[0]!.at >= 950, `waited the Retry-After second (${flaky[1]!.at - flaky[0]!.at} ms)`);
    const delivered = flaky.filter((r) => r.status === 200).flatMap((r) => r.lines.map((l) => JSON.parse(l).event_id));
    assert.equal(delivered.sort(), ['ca-1', 'ca-2', 'pv-1', 'pv-2', 'pv-3']);

    // Refused (400): dead-lettered at once. Down (500): dead-lettered after its 2 attempts.
    await waitFor(
      'two relay dead letters',
      async () => {
        let n = 0;
        for await (const l of readLetters(ctx.nc)) if (l.by.startsWith('relay:')) n++;
        return n >= 2 ? true : undefined;
      },
      20_000,
    );
    const letters = [];
    for await (const l of readLetters(ctx.nc)) letters.push(l);
    const refused = letters.find((l) => l.subject === 'dlq.relay.refuse.ordering')!;
    assert.ok(refused, letters.map((l) => l.subject).join());
    assert.is(refused.code, 400);
    assert.is(refused.by, 'relay:refuse');
    assert.is(ctx.got.get('refuse')!.length, 1, 'a refusal is not retried');
    const down = letters.find((l) => l.subject === 'dlq.relay.down.order_cancel')!;
    assert.match(down.reason, /gave up after 2 attempts: webhook down answered 500/);
    assert.is(ctx.got.get('down')!.length, 2);
    assert.is(JSON.parse(new TextDecoder().decode(down.data)).event_id, 'oc-1');

    // The relays are independent of the sink: everything also landed in ClickHouse.
    assert.is(await countReaches(ctx.p.sink, 'SELECT count() AS n FROM edge_events.page_visit', 3), 3);
    assert.is(await countReaches(ctx.p.sink, 'SELECT count() AS n FROM edge_events.order_cancel', 1), 1);
  },
);

test.run();
