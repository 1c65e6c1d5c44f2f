// The consumer runner (streams/consumer.ts) on a real nats-server and the real DLQ. Each test publishes its own events
// on events.<type>, runs the runner on a durable consumer of that subject alone, and gives it a destination written
// here: what it delivers is acked once; what it does not want is acked unseen; a passing failure is held (kept past
// the ack wait) and tried again; what it refuses, or what runs out of attempts, is dead-lettered and its original
// terminated; a buffer holds messages until a group is due, and at stop delivers what it holds once, nakking what
// fails for the next consumer. What was acked, redelivered, dead-lettered and nakked is read from the server.
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import * as assert from 'uvu/assert';
import { SpanKind } from '../shared/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import {
  createDeadLetterer,
  EVENTS_STREAM,
  noAttempt,
  readLetters,
  startConsumer,
  type Attempt,
  type MessageBuffer,
  type ConsumerOptions,
  type ConsumerStats,
  type Destination,
  type NatsConnection,
  type NatsLink,
  type RunningConsumer,
} from '../streams/mod.ts';
import { natsSuite, waitFor } from './support/mod.ts';

const test = natsSuite('consumer', { streams: true });
const running: RunningConsumer[] = [];
test.after.each(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

const BY = 'consumer-test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (data: Uint8Array) => new TextDecoder().decode(data);
/** The `i` an event of these tests carries. */
const iOf = (m: JsMsg) => (JSON.parse(text(m.data)) as { i: number }).i;

/** A durable consumer of events.<type> alone, with `count` events {"i":0…} published to it; runners on it (on
 *  `link`); the server's state of it (read on the test's own `nc`). */
async function consuming(
  { link, nc }: { link: NatsLink; nc: NatsConnection },
  type: string,
  count: number,
  ackWaitSeconds = 30,
) {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const name = `runner_${type}`;
  await jsm.consumers.add(EVENTS_STREAM, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    filter_subject: `events.${type}`,
    ack_wait: ackWaitSeconds * 1_000_000_000,
    max_ack_pending: 1000,
  });
  const seqs: number[] = [];
  /** Publishes events `from`…`to - 1`; returns their stream sequences. */
  const publish = async (from: number, to: number) => {
    const added: number[] = [];
    for (let i = from; i < to; i++) added.push((await js.publish(`events.${type}`, `{"i":${i}}`)).seq);
    seqs.push(...added);
    return added;
  };
  await publish(0, count);
  /** The consumer on the server: how far everything is acked, what is unacked, how many deliveries it made. */
  const state = async () => {
    const info = await jsm.consumers.info(EVENTS_STREAM, name);
    return {
      ackFloor: info.ack_floor.stream_seq,
      unacked: info.num_ack_pending + info.num_pending,
      redelivered: info.num_redelivered,
      deliveries: info.delivered.consumer_seq,
    };
  };
  const allAcked = () =>
    waitFor(`consumer ${name} to ack everything`, async () => {
      const s = await state();
      return s.unacked === 0 && s.ackFloor === seqs.at(-1) ? s : undefined;
    });
  const run = (destination: Destination, extra: Partial<ConsumerOptions> = {}) => {
    const consumer = startConsumer({
      link,
      consumer: name,
      batchSize: 50,
      batchWaitMs: 1000,
      retryBaseMs: 50,
      retryMaxMs: 200,
      ackWaitSeconds,
      deadLetter: createDeadLetterer(link, BY),
      log: createLogger('test', 'silent'),
      span: { name: 'test delivery', kind: SpanKind.CONSUMER },
      destination,
      ...extra,
    });
    running.push(consumer);
    return consumer;
  };
  const letters = async () => {
    const out = [];
    for await (const l of readLetters(nc, { type })) out.push(l);
    return out.sort((a, b) => a.originalSequence - b.originalSequence);
  };
  return { name, seqs, publish, state, allAcked, run, letters, js };
}

/** A destination that records each delivery (the messages' sequences and delivery counts) and answers `answer`. */
function recording(answer: (msgs: JsMsg[], call: number) => Attempt | Promise<Attempt> = (msgs) => done(msgs)) {
  const calls: { seqs: number[]; deliveryCounts: number[] }[] = [];
  const deliver = async (msgs: JsMsg[]) => {
    calls.push({ seqs: msgs.map((m) => m.seq), deliveryCounts: msgs.map((m) => m.info.deliveryCount) });
    return answer(msgs, calls.length);
  };
  return { calls, deliver, seqs: () => calls.flatMap((c) => c.seqs) };
}
const done = (msgs: JsMsg[]): Attempt => ({ ...noAttempt(), done: msgs });

/** Holds messages until `size` are in hand and delivers them in groups of `size`; all it holds when asked for all. */
function groupsOf(size: number): MessageBuffer {
  const held: JsMsg[] = [];
  return {
    add: (m) => held.push(m) >= size,
    due(all) {
      const out: JsMsg[][] = [];
      while (held.length >= size || (all && held.length > 0)) out.push(held.splice(0, size));
      return out;
    },
    held: () => held,
    checkEveryMs: 100,
  };
}

/** The counts but the number of batches (how a fetch splits the messages is the server's choice). */
const counts = ({ batches: _, ...rest }: ConsumerStats) => rest;

test('every message delivered once, in batches of at most batchSize, and acked; the stats count them', async (ctx) => {
  const c = await consuming(ctx, 'consumer_a', 10);
  const d = recording();
  const runner = c.run({ deliver: d.deliver }, { batchSize: 4 });
  const after = await c.allAcked();
  assert.equal(d.seqs(), c.seqs, 'each message once, in order');
  assert.ok(
    d.calls.every((call) => call.seqs.length <= 4 && call.deliveryCounts.every((n) => n === 1)),
    JSON.stringify(d.calls),
  );
  assert.equal(runner.stats, { batches: d.calls.length, acked: 10, nakked: 0, deadLettered: 0, retries: 0 });
  assert.is(after.deliveries, 10, 'the server delivered each message once');
  assert.is(after.redelivered, 0);
});

test('what the destination does not want is acked and never delivered', async (ctx) => {
  const c = await consuming(ctx, 'consumer_b', 6);
  const d = recording();
  const runner = c.run({ deliver: d.deliver, wants: (m) => iOf(m) % 2 === 0 });
  const after = await c.allAcked();
  assert.equal(d.seqs(), [c.seqs[0], c.seqs[2], c.seqs[4]], 'only the wanted ones delivered');
  assert.equal(runner.stats, { batches: 1, acked: 3, nakked: 0, deadLettered: 0, retries: 0 });
  assert.is(after.deliveries, 6, 'the unwanted ones acked, not redelivered');
  await runner.stop();
  assert.is(d.calls.length, 1, 'nothing delivered later');
  assert.equal(await c.letters(), []);
});

test('failing twice: held past the ack wait, tried again, delivered and acked; never redelivered', async (ctx) => {
  // Ack wait 2 s; each retry waits 3 s (Retry-After): only working() keeps the messages ours meanwhile.
  const c = await consuming(ctx, 'consumer_c', 3, 2);
  const d = recording((msgs, call) =>
    call <= 2 ? { ...noAttempt(), retry: msgs, reason: 'target down', retryAfterMs: 3000 } : done(msgs),
  );
  const runner = c.run({ deliver: d.deliver }, { batchSize: 3 });
  await waitFor('the first attempt', async () => (d.calls.length > 0 ? true : undefined));
  // Another puller of the same consumer, waiting through both retries: JetStream would hand it what timed out.
  const spy: JsMsg[] = [];
  const spying = (async () => {
    const consumer = await c.js.consumers.get(EVENTS_STREAM, c.name);
    for await (const m of await consumer.fetch({ max_messages: 3, expires: 6000 })) spy.push(m);
  })();
  const after = await c.allAcked();
  await spying;
  assert.equal(
    d.calls,
    [1, 2, 3].map(() => ({ seqs: c.seqs, deliveryCounts: [1, 1, 1] })),
    'three attempts, each with every message',
  );
  assert.equal(runner.stats, { batches: 1, acked: 3, nakked: 0, deadLettered: 0, retries: 2 });
  assert.equal(
    spy.map((m) => m.seq),
    [],
    'nothing was handed to the other puller',
  );
  assert.is(after.deliveries, 3);
  assert.is(after.redelivered, 0);
});

test('refused messages are dead-lettered with the reason and terminated; the rest acked', async (ctx) => {
  // Ack wait 2 s, past the batch wait (1 s) as the settings require; a batch of all four, handed over at once.
  const c = await consuming(ctx, 'consumer_d', 4, 2);
  const d = recording((msgs) => ({
    done: msgs.filter((m) => iOf(m) % 2 === 0),
    dead: msgs.filter((m) => iOf(m) % 2 === 1).map((msg) => ({ msg, reason: 'odd refused', code: 22 })),
    retry: [],
  }));
  const runner = c.run({ deliver: d.deliver }, { batchSize: 4 });
  await c.allAcked();
  const letters = await c.letters();
  assert.equal(
    letters.map((l) => [l.originalSequence, l.reason, l.code, l.by, l.originalSubject, text(l.data)]),
    [1, 3].map((i) => [c.seqs[i], 'odd refused', 22, BY, 'events.consumer_d', `{"i":${i}}`]),
  );
  assert.equal(runner.stats, { batches: 1, acked: 2, nakked: 0, deadLettered: 2, retries: 0 });
  // Past the ack wait, the terminated ones have not come back.
  await sleep(2500);
  const after = await c.state();
  assert.equal([after.deliveries, after.unacked, after.ackFloor], [4, 0, c.seqs.at(-1)]);
  assert.is(d.calls.length, 1);
});

test('attempts running out dead-letter every message still failing, saying so', async (ctx) => {
  const c = await consuming(ctx, 'consumer_e', 3);
  const d = recording((msgs) => ({ ...noAttempt(), retry: msgs, reason: 'answered 503' }));
  const runner = c.run({ deliver: d.deliver }, { maxAttempts: 3 });
  const after = await c.allAcked();
  assert.is(d.calls.length, 3);
  const letters = await c.letters();
  assert.equal(
    letters.map((l) => [l.originalSequence, l.reason]),
    c.seqs.map((seq) => [seq, 'gave up after 3 attempts: answered 503']),
  );
  assert.equal(runner.stats, { batches: 1, acked: 0, nakked: 0, deadLettered: 3, retries: 2 });
  assert.is(after.deliveries, 3, 'terminated, not redelivered');
});

test('a buffer holds messages until a group is due, delivers groups, and they are acked after', async (ctx) => {
  const c = await consuming(ctx, 'consumer_f', 2);
  // Whether any message of a group was acked when the destination got it: the server's ack floor then.
  const ackedBefore: boolean[] = [];
  const d = recording(async (msgs) => {
    ackedBefore.push((await c.state()).ackFloor >= msgs[0]!.seq);
    return done(msgs);
  });
  const runner = c.run({ deliver: d.deliver, buffer: groupsOf(3) });
  await waitFor('the first batch', async () => (runner.stats.batches > 0 ? true : undefined));
  await sleep(300); // three checks of the buffer
  assert.equal(d.calls, [], 'two messages of a group of three: held');
  const held = await c.state();
  assert.equal([held.deliveries, held.unacked, held.redelivered], [2, 2, 0], 'held, not acked');
  assert.ok(held.ackFloor < c.seqs[0]!);

  await c.publish(2, 6);
  const after = await c.allAcked();
  assert.equal(
    d.calls.map((call) => call.seqs),
    [c.seqs.slice(0, 3), c.seqs.slice(3, 6)],
  );
  assert.equal(ackedBefore, [false, false], 'each group acked only after its delivery');
  assert.equal(counts(runner.stats), { acked: 6, nakked: 0, deadLettered: 0, retries: 0 });
  assert.is(after.deliveries, 6);
});

test('stop() while a buffer holds messages delivers them once', async (ctx) => {
  const c = await consuming(ctx, 'consumer_g', 2);
  const d = recording();
  const runner = c.run({ deliver: d.deliver, buffer: groupsOf(3) });
  await waitFor('the batch', async () => (runner.stats.batches > 0 ? true : undefined));
  assert.equal(d.calls, []);
  assert.is((await c.state()).unacked, 2, 'held, not acked');
  await runner.stop();
  assert.equal(
    d.calls.map((call) => call.seqs),
    [c.seqs],
  );
  assert.equal(runner.stats, { batches: 1, acked: 2, nakked: 0, deadLettered: 0, retries: 0 });
  const after = await c.allAcked();
  assert.is(after.deliveries, 2);
});

test('a buffer whose delivery fails at stop: nakked, then redelivered to the next consumer', async (ctx) => {
  const c = await consuming(ctx, 'consumer_h', 2);
  const failing = recording((msgs) => ({ ...noAttempt(), retry: msgs, reason: 'store down' }));
  const first = c.run({ deliver: failing.deliver, buffer: groupsOf(3) });
  await waitFor('the batch', async () => (first.stats.batches > 0 ? true : undefined));
  await first.stop();
  assert.equal(
    failing.calls.map((call) => call.seqs),
    [c.seqs],
    'tried once at stop',
  );
  assert.equal(counts(first.stats), { acked: 0, nakked: 2, deadLettered: 0, retries: 1 });
  assert.ok((await c.state()).ackFloor < c.seqs[0]!, 'nothing acked');

  const d = recording();
  const next = c.run({ deliver: d.deliver });
  const after = await c.allAcked();
  assert.equal(d.calls, [{ seqs: c.seqs, deliveryCounts: [2, 2] }], 'the nakked ones, delivered a second time');
  assert.equal(counts(next.stats), { acked: 2, nakked: 0, deadLettered: 0, retries: 0 });
  assert.is(after.deliveries, 4);
  assert.equal(await c.letters(), []);
});

test.run();
