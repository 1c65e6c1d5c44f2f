// The core's routes against hostile input, in-process with a publisher that only records: malformed escapes in a
// typed route and JSON bombs are 400 (never a 500), per-IP limits follow the client address the trusted proxies saw
// (a forged X-Forwarded-For buys no new budget), and a 503 says what is unavailable, never what the stream said.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseTrustedProxies,
  type NotStored,
  type OutgoingEvent,
  type Publisher,
  type TrustedProxies,
} from '../../shared/mod.ts';
import { loadConfig } from '../../shared/config/mod.ts';
import { loadCatalogFiles } from '../../shared/node/mod.ts';
import { createCollector, type CollectorOptions } from './collector.ts';
import type { CoreResponse } from './types.ts';

const catalog = loadCatalogFiles('catalog');

function core(extra: Partial<CollectorOptions> = {}, answer: () => NotStored | undefined = () => undefined) {
  const published: OutgoingEvent[] = [];
  const publisher: Publisher = {
    publish: async (events) => (published.push(...events), events.map(answer)),
    ready: async () => true,
  };
  const collector = createCollector({ ...loadConfig({}).collector, publisher, catalog: () => catalog, ...extra });
  return { collector, published };
}

const post = (
  collector: ReturnType<typeof core>['collector'],
  path: string,
  body: string,
  headers: Record<string, string> = {},
  ip = '127.0.0.1',
) => {
  const lower: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return collector({
    method: 'POST',
    path,
    header: (n) => lower[n.toLowerCase()],
    body: new TextEncoder().encode(body),
    ip,
  });
};
const json = (res: CoreResponse) => JSON.parse(res.body);
const event = JSON.stringify({ dt: '2024-01-02T03:04:05Z', event: 'click', user_id: 'u1' });

test('a malformed percent-escape in /v1/events/<type> is 400; a well-formed one still routes', async () => {
  const { collector, published } = core();
  for (const path of ['/v1/events/%E0', '/v1/events/%E0%A4%A', '/v1/events/%', '/v1/events/Page%ZZVisit']) {
    const res = await post(collector, path, event);
    assert.is(res.status, 400, path);
    assert.equal(json(res), { error: 'malformed percent-encoding in the path' });
  }
  assert.is((await post(collector, '/v1/events/No%20Such', event)).status, 404);
  const visit = JSON.stringify({ timestamp: '2024-01-02 03:04:05', user_id: 1, page_id: 2 });
  assert.is((await post(collector, '/v1/events/%50ageVisit', visit)).status, 202);
  assert.is(published.length, 1);
});

test('JSON nested past the limit is 400 on every JSON route, and nothing is published', async () => {
  const { collector, published } = core();
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  // Before the limit: an unknown field kept this as a 200,000-deep `extra` (202); Segment's routes threw (500).
  const bomb = `{"dt":"2024-01-02T03:04:05Z","event":"click","user_id":"u1","properties":{"p":${deep(200_000)}}}`;
  for (const path of ['/v1/events', '/events', '/v1/track', '/v1/batch', '/v1/events/generic']) {
    const res = await post(collector, path, bomb);
    assert.is(res.status, 400, path);
    assert.match(json(res).error, /nested deeper than 64 levels/);
  }
  const ndjson = await post(collector, '/v1/events', `${event}\n${bomb}`, { 'content-type': 'application/x-ndjson' });
  assert.is(ndjson.status, 207);
  assert.is(published.length, 1, 'only the well-formed line');
});

test('per-IP limits key on the address the trusted proxy saw: a forged X-Forwarded-For buys nothing', async () => {
  const trusted = parseTrustedProxies('1') as TrustedProxies;
  const { collector } = core({ ipRateLimit: { rps: 1, burst: 2 }, trustedProxies: trusted });
  const from = (forged: string, client = '203.0.113.7') => ({ 'x-forwarded-for': `${forged}, ${client}` });
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await post(collector, '/v1/events', event, from(`10.9.9.${i}`))).status);
  assert.equal(statuses, [202, 202, 429, 429, 429, 429]);
  // IPv6 clients are budgeted per /64: new addresses of one subscriber are the same client.
  const six = (i: number) => from('1.1.1.1', `2001:db8:1:2::${i.toString(16)}`);
  assert.equal(
    [await post(collector, '/v1/events', event, six(1)), await post(collector, '/v1/events', event, six(2))].map(
      (r) => r.status,
    ),
    [202, 202],
  );
  assert.is((await post(collector, '/v1/events', event, six(3))).status, 429);
  // Another client behind the same proxy has its own budget.
  assert.is((await post(collector, '/v1/events', event, from('10.9.9.1', '203.0.113.8'))).status, 202);
  // Without trusted proxies the header counts for nothing: the peer address is the client.
  const direct = core({ ipRateLimit: { rps: 1, burst: 1 } }).collector;
  assert.is((await post(direct, '/v1/events', event, from('1.1.1.1', '2.2.2.2'))).status, 202);
  assert.is((await post(direct, '/v1/events', event, from('3.3.3.3', '4.4.4.4'))).status, 429);
});

test('a 503 names what is unavailable and a reason code, never the server or what it said', async () => {
  const secret = { reason: 'refused' as const, message: 'nats://edge:s3cret@nats-0.internal:4222 said no' };
  const { collector } = core({}, () => secret);
  const one = await post(collector, '/v1/events', event);
  assert.is(one.status, 503);
  assert.equal(json(one), { error: 'event storage is unavailable, retry later', reason: 'refused' });
  const batch = await post(collector, '/v1/events', `[${event},${event}]`);
  assert.is(batch.status, 503);
  assert.not.match(batch.body, /s3cret|internal|said no/);
  assert.equal(json(batch).results[0], {
    index: 0,
    status: 'unavailable',
    error: 'event storage is unavailable, retry later',
    reason: 'refused',
  });
});

test.run();
