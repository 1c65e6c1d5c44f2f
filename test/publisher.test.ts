// The publisher against a real nats-server: it resolves only on the PubAck, events published together
// share a message (up to the limit and in order), duplicates are stored once, and it rejects — never
// hangs — when no stream takes the subject, the stream refuses (full), or the server hangs past the timeout.
import { jetstreamManager, DiscardPolicy } from '@nats-io/jetstream';
import * as assert from 'uvu/assert';
import type { Publisher } from '../shared/mod.ts';
import { createPublisher, EVENTS_STREAM, eventsIn, messageIdOf } from '../streams/mod.ts';
import { natsSuite } from './support/mod.ts';

const test = natsSuite('publisher', { streams: true });

/** One event in its own publish() call; throws why it was not stored. */
const publishOne = async (
  pub: Publisher,
  subject: string,
  body: string,
  id: string,
  headers?: Record<string, string>,
) => {
  const [err] = await pub.publish([{ subject, line: body, id }], headers);
  if (err) throw err;
};

test('one message per event: acks resolve; the same id twice is stored once; headers travel', async ({ link, nc }) => {
  const pub = createPublisher(link, { timeoutMs: 2000, maxEventsPerMessage: 1 });
  await Promise.all(Array.from({ length: 500 }, (_, i) => publishOne(pub, 'events.generic', `{"i":${i}}`, `id-${i}`)));
  await publishOne(pub, 'events.generic', '{"i":0}', 'id-0', {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  const jsm = await jetstreamManager(nc);
  assert.is((await jsm.streams.info(EVENTS_STREAM)).state.messages, 500);
  await publishOne(pub, 'events.generic', '{"x":1}', 'with-trace', {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  const last = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: 'events.generic' });
  assert.is(last!.header.get('Nats-Msg-Id'), 'with-trace');
  assert.match(last!.header.get('traceparent'), /^00-4bf92f/);
});

test('coalesced: events of a subject published together share messages, in order, deduplicated as a batch', async ({
  link,
  nc,
}) => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.purge(EVENTS_STREAM);
  const pub = createPublisher(link, { timeoutMs: 2000, maxEventsPerMessage: 300 });
  const trace = (i: number) => `00-4bf92f3577b34da6a3ce929d0e0e${String(i).padStart(4, '0')}-00f067aa0ba902b7-01`;
  const burst = () =>
    Promise.all([
      ...Array.from({ length: 500 }, (_, i) =>
        publishOne(pub, 'events.page_visit', `{"i":${i}}`, `pv-${i}`, { traceparent: trace(i) }),
      ),
      publishOne(pub, 'events.cart_add', '{"c":1}', 'ca-1'),
    ]);
  await burst();
  const info = await jsm.streams.info(EVENTS_STREAM);
  assert.is(info.state.messages, 3, 'page_visit: 300 + 200; cart_add: 1');
  const first = (await jsm.streams.getMessage(EVENTS_STREAM, { seq: info.state.first_seq }))!;
  assert.is(first.subject, 'events.page_visit');
  assert.equal(
    eventsIn(first.data).map((b) => JSON.parse(new TextDecoder().decode(b)).i),
    Array.from({ length: 300 }, (_, i) => i),
  );
  assert.is(first.header.get('Nats-Msg-Id'), messageIdOf(Array.from({ length: 300 }, (_, i) => `pv-${i}`)));
  assert.equal(
    first.header.values('traceparent'),
    Array.from({ length: 300 }, (_, i) => trace(i)),
  );
  const lone = (await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: 'events.cart_add' }))!;
  assert.is(lone.header.get('Nats-Msg-Id'), 'ca-1', 'a message of one event keeps the id it was given');
  assert.is(new TextDecoder().decode(lone.data), '{"c":1}');
  // The same burst again, as a client retrying it: same messages, same ids, stored once.
  await burst();
  assert.is((await jsm.streams.info(EVENTS_STREAM)).state.messages, 3);
});

test('coalesced: a message stays under 256 KiB however many events share it', async ({ link, nc }) => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.purge(EVENTS_STREAM);
  const pub = createPublisher(link, { timeoutMs: 2000, maxEventsPerMessage: 1000 });
  // 5,000 characters, 10,000 bytes: messages are sized in UTF-8 bytes, not characters.
  const big = JSON.stringify({ pad: 'я'.repeat(5_000) });
  const results = await pub.publish(
    Array.from({ length: 60 }, (_, i) => ({ subject: 'events.generic', line: big, id: `big-${i}` })),
  );
  assert.equal(results, new Array(60).fill(undefined));
  const { state } = await jsm.streams.info(EVENTS_STREAM);
  assert.is(state.messages, 3, '600 kB of events in three messages');
  assert.ok(state.bytes < 3 * 256 * 1024 + 3000, `${state.bytes} bytes`);
});

test('no stream for the subject → rejected at once', async ({ link }) => {
  const pub = createPublisher(link, { timeoutMs: 5000, maxEventsPerMessage: 500 });
  const started = Date.now();
  const err = await publishOne(pub, 'nowhere.at.all', '{}', 'n-1').catch((e) => e);
  assert.is(err.reason, 'no-stream');
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
});

test('one call, several subjects: each event gets its own result', async ({ link }) => {
  const pub = createPublisher(link, { timeoutMs: 2000, maxEventsPerMessage: 500 });
  const results = await pub.publish([
    { subject: 'events.generic', line: '{"a":1}', id: 'mixed-1' },
    { subject: 'nowhere.else', line: '{"b":2}', id: 'mixed-2' },
    { subject: 'events.generic', line: '{"c":3}', id: 'mixed-3' },
  ]);
  assert.is(results[0], undefined);
  assert.is(results[1]?.reason, 'no-stream');
  assert.is(results[2], undefined);
});

test('a stream that refuses (full, discard new) → rejected with its reason', async ({ link, nc }) => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TINY', subjects: ['tiny.>'], max_msgs: 1, discard: DiscardPolicy.New });
  const pub = createPublisher(link, { timeoutMs: 2000, maxEventsPerMessage: 500 });
  await publishOne(pub, 'tiny.a', '{}', 't-1');
  const err = await publishOne(pub, 'tiny.a', '{}', 't-2').catch((e) => e);
  assert.is(err.reason, 'refused');
  assert.match(err.message, /refused/);
});

test('a hung server → rejected after the timeout, not later', async ({ link, services }) => {
  const pub = createPublisher(link, { timeoutMs: 700, maxEventsPerMessage: 500 });
  services.nats.freeze();
  await new Promise((r) => setTimeout(r, 200)); // SIGSTOP lands asynchronously
  try {
    const started = Date.now();
    const err = await publishOne(pub, 'events.generic', '{}', 'h-1').catch((e) => e);
    const ms = Date.now() - started;
    assert.is(err.reason, 'timeout');
    assert.ok(ms >= 650 && ms < 1500, `${ms} ms`);
  } finally {
    services.nats.thaw();
  }
});

test.run();
