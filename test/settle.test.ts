// Settling real JetStream messages (a real nats-server, the real DLQ): what an attempt delivered is acked; what can
// never be delivered is dead-lettered before its original is settled; what failed for a passing reason is held and
// tried again; attempts running out dead-letter it; stopping naks it; a DLQ that cannot be reached naks the
// originals. Each test asserts what was acked, nakked and dead-lettered, from the server's own state.
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import * as assert from 'uvu/assert';
import { SpanKind } from '../shared/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import {
  createDeadLetterer,
  EVENTS_STREAM,
  newConsumerStats,
  noAttempt,
  readLetters,
  settle,
  type NatsLink,
  type SettleOptions,
} from '../streams/mod.ts';
import { natsSuite, waitFor } from './support/mod.ts';

const test = natsSuite('settle', { streams: true });

let consumers = 0;
/** `n` fresh messages on events.<type>, delivered to a consumer of their own (ack wait 10 s). */
async function delivered(link: NatsLink, type: string, n: number, payload = (i: number) => `{"i":${i}}`) {
  const jsm = await jetstreamManager(link.nc);
  const js = jetstream(link.nc);
  const name = `settle_${++consumers}`;
  for (let i = 0; i < n; i++) await js.publish(`events.${type}`, payload(i));
  await jsm.consumers.add(EVENTS_STREAM, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    filter_subject: `events.${type}`,
    ack_wait: 10_000_000_000,
  });
  const consumer = await js.consumers.get(EVENTS_STREAM, name);
  const msgs: JsMsg[] = [];
  for await (const m of await consumer.fetch({ max_messages: n, expires: 2000 })) msgs.push(m);
  assert.is(msgs.length, n);
  /** The consumer's state on the server: what is still unacked, and how often messages were redelivered. */
  const state = async () => {
    const info = await jsm.consumers.info(EVENTS_STREAM, name);
    return {
      unacked: info.num_ack_pending + info.num_pending,
      redelivered: info.num_redelivered,
      ackFloor: info.ack_floor.stream_seq,
    };
  };
  return { msgs, consumer, state };
}

const stats = newConsumerStats;
const options = (link: NatsLink, extra: Partial<SettleOptions> = {}): SettleOptions => ({
  signal: { stopped: false },
  retryBaseMs: 50,
  retryMaxMs: 200,
  ackWaitSeconds: 10,
  deadLetter: createDeadLetterer(link, 'settle-test'),
  stats: stats(),
  log: createLogger('test', 'silent'),
  span: { name: 'test batch', kind: SpanKind.CONSUMER },
  ...extra,
});
const letters = async (link: NatsLink, type: string) => {
  const out = [];
  for await (const l of readLetters(link.nc, { type })) out.push(l);
  return out;
};

test(
  'delivered → acked; ' +
    'refused whole → dead-lettered, then terminated; ' +
    'one refused event → letter, message acked',
  async ({ link }) => {
    const { msgs, state } = await delivered(link, 'settle_a', 3, (i) =>
      i === 2 ? '{"i":20}\n{"i":21}' : `{"i":${i}}`,
    );
    const opts = options(link);
    await settle(
      msgs,
      async () => ({
        done: [msgs[0]!],
        dead: [
          { msg: msgs[1]!, reason: 'refused whole', code: 27 },
          {
            msg: msgs[2]!,
            event: { data: new TextEncoder().encode('{"i":21}'), line: 1 },
            reason: 'refused one',
            code: 41,
          },
        ],
        retry: [],
      }),
      opts,
    );
    assert.equal(opts.stats, { batches: 0, acked: 2, nakked: 0, deadLettered: 2, retries: 0 });
    await waitFor('the consumer to have nothing unacked', async () =>
      (await state()).unacked === 0 ? true : undefined,
    );
    const got = await letters(link, 'settle_a');
    assert.equal(
      got.map((l) => [l.originalSequence, l.reason, l.code, l.line, new TextDecoder().decode(l.data)]),
      [
        [msgs[1]!.seq, 'refused whole', 27, undefined, '{"i":1}'],
        [msgs[2]!.seq, 'refused one', 41, 1, '{"i":21}'],
      ],
    );
    assert.ok(got.every((l) => l.by === 'settle-test' && l.originalSubject === 'events.settle_a'));
  },
);

test('a passing failure is held and tried again until it lands: acked once, after one retry round', async ({
  link,
}) => {
  const { msgs, state } = await delivered(link, 'settle_b', 2);
  const opts = options(link);
  const tries: number[] = [];
  await settle(
    msgs,
    async (pending) => {
      tries.push(pending.length);
      return tries.length === 1
        ? { ...noAttempt(), done: [msgs[0]!], retry: [msgs[1]!], reason: 'server down' }
        : { ...noAttempt(), done: pending };
    },
    opts,
  );
  assert.equal(tries, [2, 1], 'the second attempt carries only the held message');
  assert.equal(opts.stats, { batches: 0, acked: 2, nakked: 0, deadLettered: 0, retries: 1 });
  await waitFor('both acked', async () => ((await state()).unacked === 0 ? true : undefined));
  assert.is((await state()).redelivered, 0, 'held, never redelivered');
});

test('attempts running out dead-letter what is still failing, with the last reason', async ({ link }) => {
  const { msgs, state } = await delivered(link, 'settle_c', 1);
  const opts = options(link, { maxAttempts: 3 });
  let calls = 0;
  await settle(msgs, async (pending) => (calls++, { ...noAttempt(), retry: pending, reason: 'answered 503' }), opts);
  assert.is(calls, 3);
  assert.equal(opts.stats, { batches: 0, acked: 0, nakked: 0, deadLettered: 1, retries: 2 });
  const [letter] = await letters(link, 'settle_c');
  assert.match(letter!.reason, /^gave up after 3 attempts: answered 503$/);
  await waitFor('terminated', async () => ((await state()).unacked === 0 ? true : undefined));
});

test('stopping while a batch is held naks it with a delay: it comes back, delivered a second time', async ({
  link,
}) => {
  const { msgs, consumer, state } = await delivered(link, 'settle_d', 2);
  const signal = { stopped: false };
  const opts = options(link, { signal, retryBaseMs: 400, retryMaxMs: 400 });
  const settling = settle(msgs, async (pending) => ({ ...noAttempt(), retry: pending, reason: 'server down' }), opts);
  setTimeout(() => (signal.stopped = true), 100);
  await settling;
  assert.equal(opts.stats, { batches: 0, acked: 0, nakked: 2, deadLettered: 0, retries: 1 });
  const again: JsMsg[] = [];
  for await (const m of await consumer.fetch({ max_messages: 2, expires: 3000 })) again.push(m);
  assert.equal(
    again.map((m) => [m.seq, m.info.deliveryCount]),
    msgs.map((m) => [m.seq, 2]),
  );
  for (const m of again) m.ack();
  await waitFor('acked', async () => ((await state()).unacked === 0 ? true : undefined));
});

test('a DLQ that cannot take the letters: the originals are nakked, not terminated, and come back', async ({
  link,
}) => {
  const { msgs, consumer } = await delivered(link, 'settle_e', 1);
  const opts = options(link, { deadLetter: async () => Promise.reject(new Error('DLQ down')) });
  await settle(msgs, async () => ({ ...noAttempt(), dead: [{ msg: msgs[0]!, reason: 'refused' }] }), opts);
  assert.equal(opts.stats, { batches: 0, acked: 0, nakked: 1, deadLettered: 0, retries: 0 });
  const next = await consumer.next({ expires: 3000 });
  assert.is(next?.seq, msgs[0]!.seq, 'redelivered after the nak');
  next?.ack();
  assert.equal(await letters(link, 'settle_e'), []);
});

test.run();
