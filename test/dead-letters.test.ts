// Poison and dead letters against real nats-server and clickhouse-server: rows ClickHouse rejects are
// bisected out of their batch and dead-lettered with their headers while the rest lands; unknown
// types and over-delivered messages are dead-lettered too; `npm run dlq` lists, shows and redrives.
// Each test starts from empty EVENTS and DLQ streams, with a sink running, and makes its own poison.
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSink, type RunningSink } from '../sink/mod.ts';
import { readLetters } from '../streams/mod.ts';
import {
  applyStreams,
  countReaches,
  rows,
  startServices,
  waitFor,
  waitUntilAcked,
  type Services,
} from './support/mod.ts';
import { DLQ_STREAM, EVENTS_STREAM, SINK_CONSUMER } from '../streams/mod.ts';

const ENV = { SINK_MAX_DELIVER: '2', SINK_ACK_WAIT_SECONDS: '2', SINK_BATCH_SIZE: '500' };
const test = suite<{ services: Services; nc: NatsConnection; js: JetStreamClient; sink?: RunningSink }>('dead letters');
test.before(async (ctx) => {
  ctx.services = await startServices('server');
  await applyStreams(ctx.services.config(ENV));
  ctx.nc = await connect({ servers: ctx.services.nats.url });
  ctx.js = jetstream(ctx.nc);
});
test.before.each(async (ctx) => {
  const jsm = await jetstreamManager(ctx.nc);
  await jsm.streams.purge(EVENTS_STREAM);
  await jsm.streams.purge(DLQ_STREAM);
  ctx.sink ??= await startSink(ctx.services.config(ENV));
});
test.after(async (ctx) => {
  await ctx.sink?.stop();
  await ctx.nc?.close();
  await ctx.services?.cleanup();
});

const row = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: id,
    timestamp: '2024-01-02 03:04:05',
    user_id: 1,
    page_id: 2,
    received_at: '2024-01-02 03:04:05.000',
    ...extra,
  });
const letters = async (nc: NatsConnection) => {
  const out = [];
  for await (const l of readLetters(nc)) out.push(l);
  return out;
};
test('poison in a batch is bisected out and dead-lettered with headers; the rest lands', async (ctx) => {
  // Published straight to the stream, as a buggy producer bypassing the collector would.
  const poison = new Map([
    [7, '{garbage'],
    [23, row('bad-date', { timestamp: 'yesterday' })],
    [41, row('extra-field', { coupon: 'X1' })],
  ]);
  const seqs = new Map<number, number>();
  for (let i = 0; i < 60; i++) {
    const ack = await ctx.js.publish('events.page_visit', poison.get(i) ?? row(`good-${i}`), { msgID: `m-${i}` });
    seqs.set(i, ack.seq);
  }
  await ctx.js.publish('events.no_such_type', '{"event_id":"x"}');
  const before = ctx.sink!.stats.deadLettered;
  assert.is(
    await countReaches(ctx.sink!, "SELECT count() AS n FROM edge_events.page_visit WHERE event_id LIKE 'good-%'", 57),
    57,
  );
  await waitUntilAcked(ctx.services.nats.url);
  const got = await letters(ctx.nc);
  assert.equal(got.map((l) => l.subject).sort(), [
    'dlq.no_such_type',
    'dlq.page_visit',
    'dlq.page_visit',
    'dlq.page_visit',
  ]);
  const bySeq = new Map(got.map((l) => [l.originalSequence, l]));
  for (const [i, body] of poison) {
    const l = bySeq.get(seqs.get(i)!);
    assert.ok(l, `poison ${i} is in the DLQ`);
    assert.is(new TextDecoder().decode(l!.data), body, 'payload kept as it was');
    assert.is(l!.originalSubject, 'events.page_visit');
    assert.is(l!.deliveries, 1);
    assert.is(l!.by, 'sink');
    assert.ok([26, 27, 41, 72, 117].includes(l!.code!), `a data error code, got ${l!.code}: ${l!.reason}`);
    assert.ok(Date.parse(l!.firstFailure) > Date.now() - 60_000, 'first failure time recorded');
  }
  assert.match(got.find((l) => l.subject === 'dlq.no_such_type')!.reason, /unknown event type "no_such_type"/);
  assert.is(ctx.sink!.stats.deadLettered - before, 4);
  const ids = await rows<{ event_id: string }>(ctx.sink!, 'SELECT event_id FROM edge_events.page_visit');
  assert.not.ok(ids.some((r) => r.event_id === 'bad-date' || r.event_id === 'extra-field'));
});

test('a dropped table is re-created and its events land', async (ctx) => {
  await ctx.sink!.clickhouse.client.command({ query: 'DROP TABLE edge_events.cart_add' });
  await ctx.js.publish(
    'events.cart_add',
    JSON.stringify({
      event_id: 'after-drop',
      timestamp: '2024-01-02 03:04:05',
      user_id: 1,
      item_id: 9,
      received_at: '2024-01-02 03:04:05.000',
    }),
  );
  assert.is(await countReaches(ctx.sink!, 'SELECT count() AS n FROM edge_events.cart_add', 1), 1);
});

test('a message delivered more times than SINK_MAX_DELIVER is dead-lettered, not inserted', async (ctx) => {
  await ctx.sink!.stop();
  ctx.sink = undefined;
  const ack = await ctx.js.publish('events.page_visit', row('too-often'));
  // Two deliveries that nobody acks, as two crashed sinks would leave behind (ack_wait is 2 s).
  const consumer = await ctx.js.consumers.get(EVENTS_STREAM, SINK_CONSUMER);
  for (let deliveries = 0; deliveries < 2;) {
    const m = await consumer.next({ expires: 5000 });
    if (m?.seq === ack.seq) deliveries = m.info.deliveryCount;
  }
  ctx.sink = await startSink(ctx.services.config(ENV));
  await waitUntilAcked(ctx.services.nats.url);
  const l = (await letters(ctx.nc)).find((x) => x.originalSequence === ack.seq);
  assert.ok(l, 'dead-lettered');
  assert.match(
    l!.reason,
    /delivered [3-9] times without an ack \(limit 2\)/,
    JSON.stringify({ ...l, data: undefined }),
  );
  const [n] = await rows<{ n: string }>(
    ctx.sink,
    "SELECT count() AS n FROM edge_events.page_visit WHERE event_id = 'too-often'",
  );
  assert.is(Number(n!.n), 0);
});

test('an insert slower than the ack wait keeps its messages: another puller gets none of them', async (ctx) => {
  const ch = ctx.services.clickhouse!;
  const before = ctx.sink!.stats.acked;
  ch.freeze();
  try {
    for (let i = 0; i < 10; i++)
      await ctx.js.publish(
        'events.cart_add',
        JSON.stringify({
          event_id: `slow-${i}`,
          timestamp: '2024-01-02 03:04:05',
          user_id: 1,
          item_id: i,
          received_at: '2024-01-02 03:04:05.000',
        }),
      );
    const jsm = await jetstreamManager(ctx.nc);
    await waitFor('the sink to hold the batch', async () => {
      const info = await jsm.consumers.info(EVENTS_STREAM, SINK_CONSUMER);
      return info.num_pending === 0 && info.num_ack_pending === 10 ? true : undefined;
    });
    // A second sink replica pulling for three ack waits while the insert hangs: nothing is redelivered.
    const consumer = await ctx.js.consumers.get(EVENTS_STREAM, SINK_CONSUMER);
    const stolen = await consumer.next({ expires: 6000 });
    assert.is(
      stolen,
      null,
      `redelivered seq ${stolen?.seq} (delivery ${stolen?.info.deliveryCount}) while the sink held it`,
    );
  } finally {
    ch.thaw();
  }
  assert.is(
    await countReaches(ctx.sink!, "SELECT count() AS n FROM edge_events.cart_add WHERE event_id LIKE 'slow-%'", 10),
    10,
  );
  await waitUntilAcked(ctx.services.nats.url);
  assert.is(ctx.sink!.stats.acked - before, 10);
  const info = await (await jetstreamManager(ctx.nc)).consumers.info(EVENTS_STREAM, SINK_CONSUMER);
  assert.is(info.num_redelivered, 0);
});

test('npm run dlq: list and show, then redrive after a fix lands the rows, and again adds none', async (ctx) => {
  // Poison of cart_add: garbage, a bad date, and a field the table does not have yet.
  const cart = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      event_id: id,
      timestamp: '2024-01-02 03:04:05',
      user_id: 1,
      item_id: 2,
      received_at: '2024-01-02 03:04:05.000',
      ...extra,
    });
  for (const body of [
    '{garbage',
    cart('cart-bad-date', { timestamp: 'yesterday' }),
    cart('cart-gift', { gift_wrap: 'yes' }),
  ]) {
    await ctx.js.publish('events.cart_add', body);
  }
  await waitUntilAcked(ctx.services.nats.url);
  const env = { ...process.env, NATS_URL: ctx.services.nats.url };
  const dlq = async (...args: string[]) =>
    (await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/dlq.ts', ...args], { env })).stdout;
  const listed = await dlq('list', '--type', 'cart_add');
  assert.match(listed, /3 dead letters/);
  const seq = /^\s+(\d+)\s/m.exec(listed)![1]!;
  const shown = JSON.parse(await dlq('show', seq));
  assert.is(shown.originalSubject, 'events.cart_add');
  assert.type(shown.payload, 'string');

  // The fix: the table gains the column the producer started sending; the other two stay poison.
  await ctx.sink!.clickhouse.client.command({ query: 'ALTER TABLE edge_events.cart_add ADD COLUMN gift_wrap String' });
  const out = await dlq('redrive', '--type', 'cart_add');
  assert.match(out, /redriven: 3/, out);
  assert.is(
    await countReaches(ctx.sink!, "SELECT count() AS n FROM edge_events.cart_add WHERE event_id = 'cart-gift'", 1),
    1,
  );
  await waitUntilAcked(ctx.services.nats.url);
  const after = await letters(ctx.nc);
  assert.is(after.filter((l) => l.subject === 'dlq.cart_add').length, 2, 'the two still-bad letters came back');
  // Redriving the same letters again adds no rows to results.
  await dlq('redrive', '--type', 'cart_add');
  await waitUntilAcked(ctx.services.nats.url);
  const [n] = await rows<{ n: string }>(
    ctx.sink!,
    "SELECT count() AS n FROM edge_events.cart_add FINAL WHERE event_id = 'cart-gift'",
  );
  assert.is(Number(n!.n), 1);
  const info = await (await jetstreamManager(ctx.nc)).streams.info(DLQ_STREAM);
  assert.is(info.state.messages, 2, 'garbage and the bad date remain');
});

test(
  'one bad event in a message of many: the others land, it alone is dead-lettered, ' + 'the message is acked',
  async (ctx) => {
    const lines = [0, 1, 2, 3, 4].map((i) =>
      i === 2 ? row('multi-bad', { timestamp: 'not a time' }) : row(`multi-${i}`),
    );
    const ack = await ctx.js.publish('events.page_visit', lines.join('\n'), { msgID: 'multi' });
    assert.is(
      await countReaches(ctx.sink!, "SELECT count() AS n FROM edge_events.page_visit WHERE event_id LIKE 'multi-%'", 4),
      4,
    );
    await waitUntilAcked(ctx.services.nats.url);
    const l = (await letters(ctx.nc)).find((x) => x.originalSequence === ack.seq);
    assert.ok(l, 'the bad event is in the DLQ');
    assert.is(new TextDecoder().decode(l!.data), lines[2], 'the event alone, as it was');
    assert.is(l!.line, 2);
    assert.is(l!.originalSubject, 'events.page_visit');
    const ids = await rows<{ event_id: string }>(
      ctx.sink!,
      "SELECT event_id FROM edge_events.page_visit WHERE event_id LIKE 'multi-%' ORDER BY event_id",
    );
    assert.equal(
      ids.map((r) => r.event_id),
      ['multi-0', 'multi-1', 'multi-3', 'multi-4'],
    );
  },
);

test.run();
