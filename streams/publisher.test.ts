// The pipelined publisher against a real nats-server: it resolves only on the PubAck, duplicates are
// stored once, and it rejects — never hangs — when no stream takes the subject, the stream refuses
// (full), or the server hangs past the timeout.
import { jetstreamManager, DiscardPolicy } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../shared/mod.ts';
import { applyStreams, startServices, type Services } from '../shared/testing/harness.ts';
import { connectNats, type NatsLink } from './connect.ts';
import { EVENTS_STREAM } from './definitions.ts';
import { createPublisher, PublishUnavailable } from './publisher.ts';

const test = suite<{ services: Services; link: NatsLink; nc: NatsConnection }>('publisher');
test.before(async (ctx) => {
  ctx.services = await startServices('none');
  await applyStreams(ctx.services.config());
  ctx.link = await connectNats(ctx.services.nats.url, 'publisher test', createLogger('t', 'silent'));
  ctx.nc = await connect({ servers: ctx.services.nats.url });
});
test.after(async (ctx) => {
  ctx.services?.nats.thaw();
  await ctx.link?.nc.close();
  await ctx.nc?.close();
  await ctx.services?.cleanup();
});

const enc = (s: string) => new TextEncoder().encode(s);

test('acks resolve; the same id twice is stored once; headers travel', async ({ link, nc }) => {
  const pub = createPublisher(link, { timeoutMs: 2000 });
  await Promise.all(Array.from({ length: 500 }, (_, i) => pub.publish('events.generic', enc(`{"i":${i}}`), `id-${i}`)));
  await pub.publish('events.generic', enc('{"i":0}'), 'id-0', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  const jsm = await jetstreamManager(nc);
  assert.is((await jsm.streams.info(EVENTS_STREAM)).state.messages, 500);
  await pub.publish('events.generic', enc('{"x":1}'), 'with-trace', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  const last = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: 'events.generic' });
  assert.is(last!.header.get('Nats-Msg-Id'), 'with-trace');
  assert.match(last!.header.get('traceparent'), /^00-4bf92f/);
});

test('no stream for the subject → rejected at once', async ({ link }) => {
  const pub = createPublisher(link, { timeoutMs: 5000 });
  const started = Date.now();
  const err = await pub.publish('nowhere.at.all', enc('{}'), 'n-1').catch((e) => e);
  assert.instance(err, PublishUnavailable);
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
});

test('a stream that refuses (full, discard new) → rejected with its reason', async ({ link, nc }) => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TINY', subjects: ['tiny.>'], max_msgs: 1, discard: DiscardPolicy.New });
  const pub = createPublisher(link, { timeoutMs: 2000 });
  await pub.publish('tiny.a', enc('{}'), 't-1');
  const err = await pub.publish('tiny.a', enc('{}'), 't-2').catch((e) => e);
  assert.instance(err, PublishUnavailable);
  assert.match(err.message, /refused/);
});

test('a hung server → rejected after the timeout, not later', async ({ link, services }) => {
  const pub = createPublisher(link, { timeoutMs: 700 });
  services.nats.freeze();
  await new Promise((r) => setTimeout(r, 200)); // SIGSTOP lands asynchronously
  try {
    const started = Date.now();
    const err = await pub.publish('events.generic', enc('{}'), 'h-1').catch((e) => e);
    const ms = Date.now() - started;
    assert.instance(err, PublishUnavailable);
    assert.ok(ms >= 650 && ms < 1500, `${ms} ms`);
  } finally {
    services.nats.thaw();
  }
});

test.run();
