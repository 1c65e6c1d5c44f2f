// The collector as real clients use it: the Segment and RudderStack SDKs unchanged, write keys,
// rate limits, gzip (and gzip bombs), size limits, CORS and sendBeacon, and the OpenAPI document.
import { Analytics as Segment } from '@segment/analytics-node';
import Rudder from '@rudderstack/rudder-sdk-node';
import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as assert from 'uvu/assert';
import { startCollector } from '../collector/mod.ts';
import { countReaches, pipelineSuite, post, postJson, rows } from './support/mod.ts';

const WEB = 'web-key-123456';
const CRM = 'crm-key-123456';
const SLOW = 'slow-key-123456';
const ORIGIN = 'https://shop.example';
const test = pipelineSuite('clients', {
  engine: 'server',
  env: {
    COLLECTOR_WRITE_KEYS: JSON.stringify([
      { name: 'web', key: WEB },
      { name: 'crm', key: CRM, types: ['PageVisit'] },
      { name: 'slow', key: SLOW, rate_limit: { rps: 1, burst: 5 } },
    ]),
    CORS_ORIGINS: ORIGIN,
    EVENT_LIMIT_BYTES: '2048',
    BODY_LIMIT_BYTES: '65536',
  },
});

const basic = (key: string) => ({ authorization: `Basic ${btoa(`${key}:`)}`, 'content-type': 'application/json' });
const ev = (extra: Record<string, unknown> = {}) => ({
  dt: '2024-01-01T00:00:00Z',
  event: 'click',
  user_id: 'u',
  ...extra,
});

test('the Segment SDK, unchanged: a typed track, an identify and a page land', async ({ p }) => {
  const analytics = new Segment({ writeKey: WEB, host: p.url, maxEventsInBatch: 10, flushInterval: 50 });
  const errors: unknown[] = [];
  analytics.on('error', (e) => errors.push(e));
  // messageId is not in the SDK's types, but it sends it through (as its users do for idempotency).
  const withId = <T>(params: T, messageId: string) => ({ ...params, messageId }) as T;
  analytics.track(
    withId(
      { userId: '42', event: 'CartAdd', properties: { item_id: 7 }, timestamp: new Date('2024-02-03T04:05:06Z') },
      'seg-cart-1',
    ),
  );
  analytics.identify(withId({ userId: '42', traits: { plan: 'pro' } }, 'seg-id-1'));
  analytics.page(withId({ anonymousId: 'anon-9', name: 'Home', properties: { path: '/' } }, 'seg-page-1'));
  await analytics.closeAndFlush({ timeout: 10_000 });
  assert.equal(errors, []);
  assert.is(
    await countReaches(p.sink, "SELECT count() AS n FROM edge_events.cart_add WHERE event_id = 'seg-cart-1'", 1),
    1,
  );
  const [cart] = await rows(p.sink, "SELECT user_id, item_id FROM edge_events.cart_add WHERE event_id = 'seg-cart-1'");
  assert.equal(cart, { user_id: '42', item_id: '7' });
  assert.is(
    await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.segment_events WHERE event_id IN ('seg-id-1', 'seg-page-1')",
      2,
    ),
    2,
  );
  const got = await rows(
    p.sink,
    'SELECT type, name, user_id, anonymous_id, traits, properties, source FROM edge_events.segment_events ' +
      "WHERE event_id IN ('seg-id-1', 'seg-page-1') ORDER BY type",
  );
  assert.equal(
    got.map((r) => [
      r.type,
      r.name,
      r.user_id,
      r.anonymous_id,
      JSON.parse(r.traits as string),
      JSON.parse(r.properties as string),
      r.source,
    ]),
    [
      ['identify', '', '42', '', { plan: 'pro' }, {}, 'web'],
      ['page', 'Home', '', 'anon-9', {}, { path: '/' }, 'web'],
    ],
  );
});

test('the RudderStack SDK, unchanged (gzip on): events land with their context', async ({ p }) => {
  const client = new Rudder(WEB, { dataPlaneUrl: p.url, flushAt: 2, flushInterval: 100, logLevel: 'error' });
  // It labels its gzip JSON as form-urlencoded and picks its own messageIds.
  client.track({ userId: '7', event: 'Searching', properties: { query: 'red shoes' } });
  client.track({ anonymousId: 'a-7', event: 'Newsletter Opened', properties: { issue: 12 } });
  await client.flush();
  assert.is(
    await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.searching WHERE query = 'red shoes' AND user_id = 7",
      1,
    ),
    1,
  );
  assert.is(
    await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.segment_events WHERE event = 'Newsletter Opened'",
      1,
    ),
    1,
  );
  const [row] = await rows(
    p.sink,
    "SELECT anonymous_id, properties, context FROM edge_events.segment_events WHERE event = 'Newsletter Opened'",
  );
  assert.is(row!.anonymous_id, 'a-7');
  assert.equal(JSON.parse(row!.properties as string), { issue: 12 });
  assert.equal(JSON.parse(row!.context as string).library.name, 'analytics-node');
});

test('sentAt corrects a skewed client clock', async ({ p }) => {
  const clientNow = Date.now() + 3_600_000; // the client's clock is an hour fast
  const res = await post(
    `${p.url}/v1/track`,
    JSON.stringify({
      userId: 'u',
      event: 'Skewed',
      messageId: 'skew-1',
      timestamp: new Date(clientNow - 10_000).toISOString(),
      sentAt: new Date(clientNow).toISOString(),
    }),
    basic(WEB),
  );
  assert.is(res.status, 200);
  assert.equal(res.json, { success: true });
  await countReaches(p.sink, "SELECT count() AS n FROM edge_events.segment_events WHERE event_id = 'skew-1'", 1);
  const [row] = await rows<{ t: string }>(
    p.sink,
    "SELECT toUnixTimestamp(timestamp) AS t FROM edge_events.segment_events WHERE event_id = 'skew-1'",
  );
  assert.ok(Math.abs(Number(row!.t) * 1000 - (Date.now() - 10_000)) < 15_000, 'stored on the server clock, 10 s ago');
});

test(
  'write keys: missing or wrong → 401; Basic, Bearer, X-Write-Key and body writeKey work; ' + 'types are enforced',
  async ({ p }) => {
    const url = `${p.url}/v1/events`;
    const none = await postJson(url, ev());
    assert.is(none.status, 401);
    assert.is(none.headers.get('www-authenticate'), 'Basic realm="edge-events"');
    assert.not.match(none.text, /key-/);
    assert.is((await post(url, JSON.stringify(ev()), basic('nope-nope-nope'))).status, 401);
    assert.is((await post(url, JSON.stringify(ev()), basic(WEB))).status, 202);
    assert.is(
      (await post(url, JSON.stringify(ev()), { authorization: `Bearer ${WEB}`, 'content-type': 'application/json' }))
        .status,
      202,
    );
    assert.is(
      (await post(url, JSON.stringify(ev()), { 'x-write-key': WEB, 'content-type': 'application/json' })).status,
      202,
    );
    assert.is(
      (
        await post(`${p.url}/v1/track`, JSON.stringify({ writeKey: WEB, userId: 'u', event: 'x' }), {
          'content-type': 'application/json',
        })
      ).status,
      200,
    );
    const denied = await post(
      url,
      JSON.stringify({ event: 'CartAdd', timestamp: '2024-01-01 00:00:00', user_id: 1, item_id: 1 }),
      basic(CRM),
    );
    assert.is(denied.status, 403);
    assert.match(denied.json.issues[0].message, /source "crm" may not send CartAdd/);
    assert.is(
      (
        await post(
          url,
          JSON.stringify({ event: 'PageVisit', timestamp: '2024-01-01 00:00:00', user_id: 1, page_id: 1 }),
          basic(CRM),
        )
      ).status,
      202,
    );
  },
);

test('rate limits: per write key (events) and per client IP (requests) → 429 + Retry-After', async ({
  p,
  services,
}) => {
  const batch = JSON.stringify(Array.from({ length: 4 }, () => ev()));
  assert.is((await post(`${p.url}/v1/events`, batch, basic(SLOW))).status, 202);
  const limited = await post(`${p.url}/v1/events`, batch, basic(SLOW));
  assert.is(limited.status, 429);
  assert.is(limited.json.limit, 'source');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);

  const c = await startCollector(services.config({ RATE_LIMIT_IP_RPS: '1', RATE_LIMIT_IP_BURST: '2' }));
  try {
    const url = `http://127.0.0.1:${c.port}/v1/events`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(url, ev())).status);
    assert.equal(statuses, [202, 202, 429]);
  } finally {
    await c.stop();
  }
});

test('gzip bodies are inflated; gzip bombs, broken gzip and unknown encodings are refused', async ({ p }) => {
  const url = `${p.url}/v1/events`;
  const h = (enc: string) => ({ ...basic(WEB), 'content-encoding': enc });
  const ok = await post(url, gzipSync(JSON.stringify([ev(), ev()])) as unknown as string, h('gzip'));
  assert.is(ok.status, 202, ok.text);
  const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)); // 10 MiB of spaces in ~10 KiB
  assert.ok(bomb.byteLength < 65536);
  const refused = await post(url, bomb as unknown as string, h('gzip'));
  assert.is(refused.status, 413);
  assert.is(refused.json.limit, 'request');
  assert.is((await post(url, 'not gzip at all' as string, h('gzip'))).status, 400);
  assert.is((await post(url, JSON.stringify(ev()), h('br'))).status, 415);
});

test('size limits: 413 says which — the request or the event', async ({ p }) => {
  const url = `${p.url}/v1/events`;
  const big = await post(url, JSON.stringify([ev({ elem: 'x'.repeat(70_000) })]), basic(WEB));
  assert.is(big.status, 413);
  assert.is(big.json.limit, 'request');
  // A valid event (reason_user_message allows 4 KiB) that is still over EVENT_LIMIT_BYTES.
  const fatEvent = {
    event: 'ItemReturn',
    timestamp: '2024-01-01 00:00:00',
    user_id: 1,
    item_id: 1,
    order_id: 1,
    reason_type: 0,
    reason_user_message: 'x'.repeat(3000),
  };
  const fat = await post(url, JSON.stringify(fatEvent), basic(WEB));
  assert.is(fat.status, 413);
  assert.is(fat.json.limit, 'event');
  const mixed = await post(url, JSON.stringify([ev(), fatEvent]), basic(WEB));
  assert.is(mixed.status, 207);
  assert.match(mixed.json.results[1].issues[0].message, /over the per-event limit of 2048 bytes/);
});

test('browsers: CORS allowlist, preflight, and sendBeacon text/plain bodies', async ({ p }) => {
  const url = `${p.url}/v1/events`;
  const pre = await fetch(url, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
  });
  assert.is(pre.status, 204);
  assert.is(pre.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(pre.headers.get('access-control-allow-headers')!, /authorization/);
  const other = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
  assert.is(other.status, 403);
  // What navigator.sendBeacon(url, JSON.stringify(event)) sends: text/plain, no custom headers.
  const beacon = await fetch(`${p.url}/v1/t`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ writeKey: WEB, userId: 'b', event: 'Beacon', messageId: 'beacon-1' }),
  });
  assert.is(beacon.status, 200);
  assert.is(beacon.headers.get('access-control-allow-origin'), ORIGIN);
  // Refused before the body is read (declared over BODY_LIMIT_BYTES): still readable by the page.
  const big = await fetch(url, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ pad: 'x'.repeat(70_000) }),
  });
  assert.is(big.status, 413);
  assert.is(big.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(await big.text(), /exceeds the per-request limit of 65536 bytes/);
  assert.is(
    await countReaches(p.sink, "SELECT count() AS n FROM edge_events.segment_events WHERE event_id = 'beacon-1'", 1),
    1,
  );
});

test('GET /openapi.json: valid OpenAPI 3.1, every $ref resolves, same as the checked-in file', async ({ p }) => {
  const res = await fetch(`${p.url}/openapi.json`);
  assert.is(res.status, 200);
  const doc = await res.json();
  const result = await new Validator().validate(doc);
  assert.ok(result.valid, JSON.stringify(result.errors));
  const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
  for (const r of new Set(refs))
    assert.ok(doc.components.schemas[r.slice('"#/components/schemas/'.length, -1)], `${r} resolves`);
  assert.equal(doc, JSON.parse(readFileSync('shared/docs/generated/openapi.json', 'utf8')));
  for (const path of ['/v1/events', '/v1/track', '/v1/batch', '/events/', '/v1/producer/views'])
    assert.ok(doc.paths[path], path);
});

test.run();
