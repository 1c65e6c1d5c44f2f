// The collector core in-process, as hono's app.request() tests an app: plain requests in, plain responses out, no
// socket and no adapter — with the real publisher on a real nats-server, so a 2xx is checked against what the stream
// holds, and every outcome against the metric label it is counted under.
import { jetstreamManager } from '@nats-io/jetstream';
import * as assert from 'uvu/assert';
import {
  createCollector,
  type Collector,
  type CollectorObserver,
  type CollectorOptions,
  type CoreResponse,
} from '../collector/core/mod.ts';
import { type Publisher } from '../shared/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { createPublisher, EVENTS_STREAM, eventsIn, type NatsLink } from '../streams/mod.ts';
import { defaultCatalog, natsSuite } from './support/mod.ts';

const catalog = defaultCatalog();
const test = natsSuite<{ publisher: Publisher }>('collector core', { streams: true });
test.before(async (ctx) => {
  ctx.publisher = createPublisher(ctx.link, { timeoutMs: 600, maxEventsPerMessage: 500 });
});
test.before.each(async ({ link }) => {
  await (await jetstreamManager(link.nc)).streams.purge(EVENTS_STREAM);
});

/** An observer that keeps the counts it is given, to check the labels outcomes are counted under. */
function recording() {
  const events = new Map<string, number>();
  const observer: CollectorObserver = {
    request() {},
    events: (type, outcome, n) => void events.set(`${type} ${outcome}`, (events.get(`${type} ${outcome}`) ?? 0) + n),
    published() {},
    render: async () => ({ contentType: 'text/plain', body: '' }),
  };
  return { observer, events };
}

function core(ctx: { publisher: Publisher }, extra: Partial<CollectorOptions> = {}) {
  const { observer, events } = recording();
  const collector = createCollector({
    ...loadConfig({}).collector,
    publisher: ctx.publisher,
    observer,
    catalog: () => catalog,
    openapi: () => '{"openapi":"3.1.0"}',
    ...extra,
  });
  return { collector, events };
}

/** One request, as an adapter hands it over. */
const request = (
  collector: Collector,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const lower = Object.fromEntries(
    Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const bytes =
    body === undefined
      ? new Uint8Array(0)
      : new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return collector({ method, path, header: (n) => lower[n.toLowerCase()], body: bytes });
};
const json = (res: CoreResponse) => JSON.parse(res.body);

async function storedEvents(link: NatsLink): Promise<Record<string, unknown>[]> {
  const jsm = await jetstreamManager(link.nc);
  const { first_seq: first, last_seq: last, messages } = (await jsm.streams.info(EVENTS_STREAM)).state;
  const out: Record<string, unknown>[] = [];
  for (let seq = first; messages > 0 && seq <= last; seq++) {
    const m = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
    for (const line of eventsIn(m!.data)) out.push(JSON.parse(new TextDecoder().decode(line)));
  }
  return out;
}

const event = (extra: Record<string, unknown> = {}) => ({
  dt: '2024-01-02T03:04:05Z',
  event: 'click',
  user_id: 'u1',
  ...extra,
});

test('health, readiness, the OpenAPI document, unknown routes, wrong methods and preflights', async (ctx) => {
  const { collector } = core(ctx, { corsOrigins: ['https://shop.example'] });
  assert.is((await request(collector, 'GET', '/healthz')).status, 200);
  assert.equal(json(await request(collector, 'GET', '/readyz')), { status: 'ready' });
  assert.equal(json(await request(collector, 'GET', '/openapi.json')), { openapi: '3.1.0' });
  assert.is((await request(collector, 'POST', '/v2/nothing', event())).status, 404);
  assert.is((await request(collector, 'POST', '/v1/events/NoSuchType', event())).status, 404);
  const get = await request(collector, 'GET', '/v1/events');
  assert.is(get.status, 405);
  assert.is(get.headers.allow, 'POST');
  const pre = await request(collector, 'OPTIONS', '/v1/events', undefined, { origin: 'https://shop.example' });
  assert.is(pre.status, 204);
  assert.is(pre.headers['access-control-allow-origin'], 'https://shop.example');
  assert.is(
    (await request(collector, 'OPTIONS', '/v1/events', undefined, { origin: 'https://evil.example' })).status,
    403,
  );
});

test(
  'accepted means stored: each event in the stream with its event_id and received_at; ' + 'a batch shares a message',
  async (ctx) => {
    const { collector, events } = core(ctx, { now: () => Date.UTC(2024, 5, 1, 12) });
    const one = await request(collector, 'POST', '/v1/events', event({ event_id: 'core-1' }));
    assert.is(one.status, 202);
    assert.equal(json(one), { status: 'accepted', event_id: 'core-1', type: 'generic' });
    const batch = await request(collector, 'POST', '/v1/events', [
      event({ event_id: 'core-2' }),
      event({ event_id: 'core-3' }),
      { dt: 'bad' },
    ]);
    assert.is(batch.status, 207);
    assert.equal(
      json(batch).results.map((r: { status: string }) => r.status),
      ['accepted', 'accepted', 'rejected'],
    );
    const stored = await storedEvents(ctx.link);
    assert.equal(
      stored.map((e) => e.event_id),
      ['core-1', 'core-2', 'core-3'],
    );
    assert.ok(stored.every((e) => e.received_at === '2024-06-01 12:00:00.000'));
    const info = await (await jetstreamManager(ctx.link.nc)).streams.info(EVENTS_STREAM);
    assert.is(info.state.messages, 2, 'the batch went as one message');
    assert.equal(Object.fromEntries(events), { 'generic accepted': 3, 'generic invalid': 1 });
  },
);

test('refusals are counted by why: invalid, too large, forbidden — and none reaches the stream', async (ctx) => {
  const sources = [{ name: 'crm', key: 'crm-key-123456', types: ['page_visit'] }];
  const { collector, events } = core(ctx, { sources, eventLimitBytes: 200 });
  const key = { 'x-write-key': 'crm-key-123456' };
  assert.is((await request(collector, 'POST', '/v1/events', event())).status, 401, 'no write key');
  const forbidden = await request(collector, 'POST', '/v1/events', event(), key);
  assert.is(forbidden.status, 403);
  const visit = { event: 'PageVisit', timestamp: '2024-01-01 00:00:00', user_id: 1, page_id: 1 };
  assert.is((await request(collector, 'POST', '/v1/events', { ...visit, page_id: 'x' }, key)).status, 400);
  const big = await request(
    collector,
    'POST',
    '/v1/events',
    { ...visit, event_id: 'x'.repeat(120), user_id: 2 ** 40 },
    key,
  );
  assert.is(big.status, 413, big.body);
  assert.is(json(big).limit, 'event');
  assert.equal(await storedEvents(ctx.link), []);
  assert.equal(Object.fromEntries(events), {
    'generic forbidden': 1,
    'page_visit invalid': 1,
    'page_visit too_large': 1,
  });
});

test(
  'overloaded: past the in-flight budget a request is refused at once with 503, ' + 'counted as overloaded',
  async (ctx) => {
    const { collector, events } = core(ctx, { maxInflightEvents: 1 });
    const [a, b] = await Promise.all([
      request(collector, 'POST', '/v1/events', event({ event_id: 'first' })),
      request(collector, 'POST', '/v1/events', event({ event_id: 'second' })),
    ]);
    assert.equal([a.status, b.status], [202, 503]);
    assert.is(b.headers['retry-after'], '1');
    assert.equal(json(b), { error: 'collector overloaded, retry later', reason: 'overloaded' });
    assert.equal(Object.fromEntries(events), { 'generic accepted': 1, 'generic overloaded': 1 });
    assert.equal(
      (await storedEvents(ctx.link)).map((e) => e.event_id),
      ['first'],
    );
  },
);

test('JetStream hangs: 503 within the publish timeout, counted as unavailable, with the reason code', async (ctx) => {
  const { collector, events } = core(ctx);
  ctx.services.nats.freeze();
  try {
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const res = await request(collector, 'POST', '/v1/events', event({ event_id: 'hung' }));
    assert.is(res.status, 503);
    assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
    assert.equal(json(res), { error: 'event storage is unavailable, retry later', reason: 'timeout' });
    assert.equal(Object.fromEntries(events), { 'generic unavailable': 1 });
  } finally {
    ctx.services.nats.thaw();
  }
});

test.run();
