// The collector's HTTP contract against a real nats-server: what is accepted, what is refused with
// which status and body — and, test by test, that nothing refused ever reaches the stream.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { applyStreams, post, postJson, startServices, storedEvents, type Services } from './support/mod.ts';
import { EVENTS_STREAM } from '../streams/mod.ts';

const LIMIT = 4096;
const test = suite<{ services: Services; collector: RunningCollector; url: string }>('collector API');

test.before(async (ctx) => {
  ctx.services = await startServices('none');
  const cfg = ctx.services.config({ BODY_LIMIT_BYTES: String(LIMIT) });
  await applyStreams(cfg);
  ctx.collector = await startCollector(cfg);
  ctx.url = `http://127.0.0.1:${ctx.collector.port}`;
});
// Each test starts from an empty stream and checks what it left there.
test.before.each(async ({ services }) => {
  const nc = await connect({ servers: services.nats.url });
  await (await jetstreamManager(nc)).streams.purge(EVENTS_STREAM);
  await nc.close();
});
test.after(async (ctx) => {
  await ctx.collector?.stop();
  await ctx.services?.cleanup();
});

const good = { dt: '2024-01-02T03:04:05Z', event: 'click', user_id: 'u1' };
/** The event_ids the stream holds. */
const stored = async (services: Services) => (await storedEvents(services.nats.url)).map((e) => e.event_id);

test('health and readiness', async ({ url }) => {
  assert.is((await fetch(`${url}/healthz`)).status, 200);
  const ready = await fetch(`${url}/readyz`);
  assert.is(ready.status, 200);
  assert.equal(await ready.json(), { status: 'ready' });
});

test('one valid event → 202 with its event_id; a client event_id is kept', async (ctx) => {
  const a = await postJson(`${ctx.url}/v1/events`, good);
  assert.is(a.status, 202);
  assert.match(a.json.event_id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // UUIDv7
  const b = await postJson(`${ctx.url}/v1/events`, { ...good, event_id: 'sdk-42' });
  assert.is(b.json.event_id, 'sdk-42');
  assert.equal(await stored(ctx.services), [a.json.event_id, 'sdk-42']);
});

test('an invalid event → 400 naming every bad field', async ({ url, services }) => {
  const res = await postJson(`${url}/v1/events`, {
    dt: '2024-01-02 03:04:05',
    event: '',
    amount: 'ten',
    event_id: 'has space',
  });
  assert.is(res.status, 400);
  assert.is(res.json.error, 'invalid event');
  const paths = res.json.issues.map((i: { path: string }) => i.path).sort();
  assert.equal(paths, ['amount', 'dt', 'event', 'event_id', 'user_id']);
  assert.match(res.json.issues.find((i: { path: string }) => i.path === 'dt').message, /time zone/);
  assert.is(res.json.issues.find((i: { path: string }) => i.path === 'user_id').message, 'required field is missing');
  assert.equal(await stored(services), []);
});

test('typed events are checked against their schema (enum ranges, uuids, types)', async ({ url, services }) => {
  const login = await postJson(`${url}/v1/events`, {
    event: 'LoggingIn',
    timestamp: '2024-01-02T03:04:05Z',
    user_id: 1,
    login_type: 3,
  });
  assert.is(login.status, 400);
  assert.equal(
    login.json.issues.map((i: { path: string }) => i.path),
    ['login_type'],
  );
  const view = await postJson(`${url}/v1/producer/views`, {
    user_id: 'nope',
    movie_id: '46a5143b-9fbe-4483-a9be-30ebccf7132c',
    movie_time_offset: 1.5,
  });
  assert.is(view.status, 400);
  assert.equal(view.json.issues.map((i: { path: string }) => i.path).sort(), [
    'created_at',
    'movie_time_offset',
    'user_id',
  ]);
  assert.equal(await stored(services), []);
});

test('batches answer per event: 202 all, 207 some, 400 none', async (ctx) => {
  const all = await postJson(`${ctx.url}/v1/events`, [good, { ...good, event: 'other' }]);
  assert.is(all.status, 202);
  assert.is(all.json.accepted, 2);
  const some = await post(
    `${ctx.url}/v1/events`,
    `${JSON.stringify(good)}\n{broken\n${JSON.stringify({ ...good, user_id: null })}\n`,
    {
      'content-type': 'application/x-ndjson',
    },
  );
  assert.is(some.status, 207);
  assert.equal(
    some.json.results.map((r: { status: string }) => r.status),
    ['accepted', 'rejected', 'rejected'],
  );
  assert.match(some.json.results[1].issues[0].message, /invalid JSON/);
  assert.is(some.json.results[2].issues[0].path, 'user_id');
  const none = await postJson(`${ctx.url}/v1/events`, [{}, 5]);
  assert.is(none.status, 400);
  assert.is(none.json.accepted, 0);
  const accepted = [...all.json.results, ...some.json.results].filter(
    (r: { status: string }) => r.status === 'accepted',
  );
  assert.equal((await stored(ctx.services)).sort(), accepted.map((r: { event_id: string }) => r.event_id).sort());
});

test('malformed bodies → 400; unsupported content type → 415', async ({ url, services }) => {
  assert.is((await post(`${url}/v1/events`, '{"dt":', { 'content-type': 'application/json' })).status, 400);
  assert.is((await post(`${url}/v1/events`, '', { 'content-type': 'application/json' })).status, 400);
  assert.is((await post(`${url}/v1/events`, '[]', { 'content-type': 'application/json' })).status, 400);
  assert.is((await post(`${url}/v1/events`, '"just a string"', { 'content-type': 'application/json' })).status, 400);
  const garbage = await post(`${url}/v1/events`, new Uint8Array([0xff, 0xfe, 0x00, 0x81]) as unknown as string, {
    'content-type': 'application/json',
  });
  assert.is(garbage.status, 400);
  const csv = await post(`${url}/v1/events`, 'a,b', { 'content-type': 'text/csv' });
  assert.is(csv.status, 415);
  assert.ok(csv.json.supported.includes('application/x-ndjson'));
  assert.equal(await stored(services), []);
});

test('bodies over the limit → 413, declared or chunked', async ({ url, services }) => {
  const big = JSON.stringify({ ...good, elem: 'x'.repeat(LIMIT) });
  const declared = await post(`${url}/v1/events`, big, { 'content-type': 'application/json' });
  assert.is(declared.status, 413);
  assert.is(declared.json.limit_bytes, LIMIT);
  const chunked = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);
  assert.is(chunked.status, 413);
  assert.equal(await stored(services), []);
});

test('unknown routes and types → 404; wrong method → 405', async ({ url, services }) => {
  assert.is((await postJson(`${url}/v1/events/NoSuchType`, good)).status, 404);
  assert.is((await postJson(`${url}/v2/whatever`, good)).status, 404);
  const get = await fetch(`${url}/v1/events`);
  assert.is(get.status, 405);
  assert.is(get.headers.get('allow'), 'POST');
  assert.equal(await stored(services), []);
});

test.run();
