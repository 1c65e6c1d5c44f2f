// Enrichment from the catalog (issue #23, section 1) through the real pipeline — collector, NATS, sink, the
// embedded ClickHouse, the reader — with the shipped geo database: real browser, bot and server-SDK user agents,
// public and private addresses (the client's, as one trusted load balancer reports it in X-Forwarded-For), and every
// stored column checked. A type that drops bots stores none of them (answered 2xx, counted); no raw address is stored
// anywhere, not even in a Segment call's context; a client cannot set a server-set field. Reports leave bots out and
// cut by country and device.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startReader } from '../reader/mod.ts';
import { countReaches, pipelineSuite, post, rows } from './support/mod.ts';

const extra = mkdtempSync(join(tmpdir(), 'edge-events-enrich-'));
writeFileSync(
  join(extra, 'signups.yaml'),
  `types:
  - name: Signup
    description: "An account created in a browser: device, country, a daily hash of the address; bots not kept."
    time: at
    enrich: { user_agent: true, bots: drop, geo: true, ip: hash }
    fields:
      at: { type: datetime }
      user_id: { type: id }
  - name: Lead
    description: "A newsletter lead: stored only with analytics consent, the email only with marketing consent."
    time: at
    consent: { category: analytics, default: denied }
    fields:
      at: { type: datetime }
      email: { type: string, consent: marketing }
  - name: Checkout
    description: "A purchase: the country and the network it came from."
    time: at
    enrich: { geo: true, ip: truncate }
    fields:
      at: { type: datetime }
      user_id: { type: id }
`,
);
// The embedded engine (ClickHouse 26.x): the reports need query parameters, which Debian's 18.16 server lacks.
const test = pipelineSuite('enrichment', {
  engine: 'embedded',
  env: { EVENT_CATALOG: `catalog,${extra}`, TRUSTED_PROXIES: '1', IP_HASH_KEY: 'enrichment-test-key-0001' },
  stop: () => rmSync(extra, { recursive: true, force: true }),
});

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 ' +
    'Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  segmentNode: 'analytics-node-next/latest',
  curl: 'curl/8.5.0',
};

/** Sends one event as a browser at `ip` would, through one load balancer (which appends the address it saw). */
const send = (base: string, path: string, body: unknown, ua: string, ip: string) =>
  post(`${base}${path}`, JSON.stringify(body), {
    'content-type': 'application/json',
    'user-agent': ua,
    'x-forwarded-for': ip,
  });

const q = (s: string) => `'${s}'`;

test('generic events: device, bot flag and country as the shipped catalog asks; no address stored', async ({ p }) => {
  const events = [
    ['en-chrome', UA.chromeWindows, '8.8.8.8'],
    ['en-iphone', UA.safariIphone, '2003:e5:1234::1'],
    ['en-bot', UA.googlebot, '80.152.0.1'],
    ['en-curl', UA.curl, '10.1.2.3'],
  ] as const;
  for (const [id, ua, ip] of events) {
    const res = await send(
      p.url,
      '/v1/events',
      { event: 'view', dt: '2024-06-01T10:00:00Z', user_id: id, event_id: id },
      ua,
      ip,
    );
    assert.is(res.status, 202, res.text);
    assert.is(res.json.status, 'accepted');
  }
  const ids = events.map(([id]) => q(id)).join(', ');
  assert.is(await countReaches(p.sink, `SELECT count() AS n FROM edge_events.events WHERE event_id IN (${ids})`, 4), 4);
  const stored = await rows(
    p.sink,
    'SELECT event_id, browser, browser_version, os, device_type, is_bot, country, region, city ' +
      `FROM edge_events.events WHERE event_id IN (${ids}) ORDER BY event_id`,
  );
  assert.equal(stored, [
    {
      event_id: 'en-bot',
      browser: '',
      browser_version: '',
      os: '',
      device_type: 'bot',
      is_bot: 1,
      country: 'DE',
      region: '',
      city: '',
    },
    {
      event_id: 'en-chrome',
      browser: 'Chrome',
      browser_version: '124',
      os: 'Windows',
      device_type: 'desktop',
      is_bot: 0,
      country: 'US',
      region: '',
      city: '',
    },
    // A command-line client: no browser, not a bot (server SDKs and tools send on behalf of people), a private address.
    {
      event_id: 'en-curl',
      browser: '',
      browser_version: '',
      os: '',
      device_type: 'unknown',
      is_bot: 0,
      country: '',
      region: '',
      city: '',
    },
    {
      event_id: 'en-iphone',
      browser: 'Mobile Safari',
      browser_version: '17',
      os: 'iOS',
      device_type: 'mobile',
      is_bot: 0,
      country: 'DE',
      region: '',
      city: '',
    },
  ]);
  const columns = await rows<{ name: string }>(
    p.sink,
    "SELECT name FROM system.columns WHERE database = 'edge_events' AND table = 'events' AND name = 'ip'",
  );
  assert.equal(columns, [], 'a type that does not declare ip has no column for it');
});

test('a type that drops bots: a bot is answered 2xx and counted, never stored; the address hashed', async ({ p }) => {
  const human = await send(
    p.url,
    '/v1/events/Signup',
    { at: '2024-06-01T10:00:00Z', user_id: 'h', event_id: 'su-human' },
    UA.chromeWindows,
    '8.8.8.8',
  );
  assert.is(human.status, 202, human.text);
  const again = await send(
    p.url,
    '/v1/events/Signup',
    { at: '2024-06-01T10:00:00Z', user_id: 'h', event_id: 'su-again' },
    UA.chromeWindows,
    '8.8.8.8',
  );
  assert.is(again.status, 202, again.text);
  const bot = await send(
    p.url,
    '/v1/events/Signup',
    { at: '2024-06-01T10:00:00Z', user_id: 'b', event_id: 'su-bot' },
    UA.googlebot,
    '8.8.4.4',
  );
  assert.equal([bot.status, bot.json.status, bot.json.reason], [202, 'dropped', 'bot']);
  const batch = await post(
    `${p.url}/v1/events/Signup`,
    JSON.stringify([
      { at: '2024-06-01T10:00:00Z', user_id: 'b2', event_id: 'su-bot-2' },
      { at: '2024-06-01T10:00:00Z', user_id: 'b3', event_id: 'su-bot-3' },
    ]),
    { 'content-type': 'application/json', 'user-agent': UA.googlebot, 'x-forwarded-for': '8.8.4.4' },
  );
  assert.is(batch.status, 202, batch.text);
  assert.equal(
    batch.json.results.map((r: { status: string; reason: string }) => `${r.status} ${r.reason}`),
    ['dropped bot', 'dropped bot'],
  );

  assert.is(await countReaches(p.sink, "SELECT count() AS n FROM edge_events.signup WHERE user_id = 'h'", 2), 2);
  const stored = await rows<Record<string, string>>(
    p.sink,
    'SELECT event_id, browser, device_type, country, ip FROM edge_events.signup ORDER BY event_id',
  );
  assert.equal(
    stored.map((r) => r.event_id),
    ['su-again', 'su-human'],
    'no bot stored',
  );
  const [a, b] = stored;
  assert.equal([a!.browser, a!.device_type, a!.country], ['Chrome', 'desktop', 'US']);
  assert.match(a!.ip!, /^[0-9a-f]{32}$/, 'a hash, not an address');
  assert.is(a!.ip, b!.ip, 'the same address hashes alike on the same day');
  assert.not.match(JSON.stringify(stored), /8\.8\.8\.8/);

  const metrics = await (await fetch(`${p.url}/metrics`)).text();
  assert.match(metrics, /edge_events_events_total\{type="signup",outcome="dropped_bot"\} 3/);
});

test('a Segment call: its context.ip and userAgent are used, and the raw address leaves the context', async ({ p }) => {
  // A server SDK sends for a browser: the request's user agent is the SDK's, the call names the person's.
  const res = await post(
    `${p.url}/v1/track`,
    JSON.stringify({
      event: 'Signed Up',
      userId: 'seg-1',
      messageId: 'seg-enrich-1',
      context: { ip: '80.152.0.1', userAgent: UA.safariIphone, locale: 'de-DE' },
    }),
    { 'content-type': 'application/json', 'user-agent': UA.segmentNode, 'x-forwarded-for': '10.0.0.5' },
  );
  assert.is(res.status, 200, res.text);
  assert.is(
    await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.segment_events WHERE event_id = 'seg-enrich-1'",
      1,
    ),
    1,
  );
  const [row] = await rows(
    p.sink,
    'SELECT context, browser, os, device_type, is_bot, country FROM edge_events.segment_events ' +
      "WHERE event_id = 'seg-enrich-1'",
  );
  assert.equal(row, {
    context: JSON.stringify({ userAgent: UA.safariIphone, locale: 'de-DE' }),
    browser: 'Mobile Safari',
    os: 'iOS',
    device_type: 'mobile',
    is_bot: 0,
    country: 'DE',
  });
});

test('consent: an event without its category is answered and counted, not stored; a field needs its own', async ({
  p,
}) => {
  const lead = (id: string, consent?: Record<string, unknown>) =>
    send(
      p.url,
      '/v1/events/Lead',
      { at: '2024-06-01T10:00:00Z', email: `${id}@example.com`, event_id: id, ...(consent ? { consent } : {}) },
      UA.chromeWindows,
      '8.8.8.8',
    );
  const answers = [
    await lead('lead-both', { analytics: true, marketing: true }),
    await lead('lead-analytics', { analytics: true }),
    await lead('lead-refused', { analytics: false, marketing: true }),
    await lead('lead-silent'),
  ];
  assert.equal(
    answers.map((a) => `${a.status} ${a.json.status}${a.json.reason ? ` ${a.json.reason}` : ''}`),
    ['202 accepted', '202 accepted', '202 dropped consent', '202 dropped consent'],
  );
  const bad = await lead('lead-bad', { analytics: 'yes' });
  assert.equal(
    [bad.status, bad.json.issues],
    [400, [{ path: 'consent', message: 'category "analytics": expected true or false' }]],
  );
  // A Segment call refusing analytics: Segment's answer, nothing stored.
  const segment = await post(
    `${p.url}/v1/track`,
    JSON.stringify({
      event: 'Opted Out',
      userId: 'seg-2',
      messageId: 'seg-consent-1',
      context: { consent: { categoryPreferences: { analytics: false } } },
    }),
    { 'content-type': 'application/json' },
  );
  assert.equal([segment.status, segment.json], [200, { success: true }]);
  // Sent after it, and granted: once this one landed, the refused one would have too.
  const granted = await post(
    `${p.url}/v1/track`,
    JSON.stringify({
      event: 'Opted In',
      userId: 'seg-3',
      messageId: 'seg-consent-2',
      context: { consent: { categoryPreferences: { analytics: true } } },
    }),
    { 'content-type': 'application/json' },
  );
  assert.is(granted.status, 200);

  assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.lead', 2), 2);
  assert.equal(await rows(p.sink, 'SELECT event_id, email FROM edge_events.lead ORDER BY event_id'), [
    { event_id: 'lead-analytics', email: '' },
    { event_id: 'lead-both', email: 'lead-both@example.com' },
  ]);
  const landed = "SELECT count() AS n FROM edge_events.segment_events WHERE user_id = 'seg-3'";
  assert.is(await countReaches(p.sink, landed, 1), 1);
  const [refused] = await rows(p.sink, "SELECT count() AS n FROM edge_events.segment_events WHERE user_id = 'seg-2'");
  assert.is(Number(refused!.n), 0, 'the call refusing analytics is not stored');
  const metrics = await (await fetch(`${p.url}/metrics`)).text();
  assert.match(metrics, /edge_events_events_total\{type="lead",outcome="dropped_consent"\} 2/);
  assert.match(metrics, /edge_events_events_total\{type="segment",outcome="dropped_consent"\} 1/);
});

test('the network only, and a client cannot set what the server sets', async ({ p }) => {
  const res = await send(
    p.url,
    '/v1/events/Checkout',
    { at: '2024-06-01T10:00:00Z', user_id: 'c', event_id: 'co-1', country: 'FR' },
    UA.chromeWindows,
    '2003:e5:1234:5678::1',
  );
  assert.is(res.status, 400, res.text);
  assert.match(res.text, /country/);
  const ok = await send(
    p.url,
    '/v1/events/Checkout',
    { at: '2024-06-01T10:00:00Z', user_id: 'c', event_id: 'co-2' },
    UA.chromeWindows,
    '2003:e5:1234:5678::1',
  );
  assert.is(ok.status, 202, ok.text);
  const v4 = await send(
    p.url,
    '/v1/events/Checkout',
    { at: '2024-06-01T10:00:00Z', user_id: 'c', event_id: 'co-3' },
    UA.chromeWindows,
    '80.152.0.77',
  );
  assert.is(v4.status, 202, v4.text);
  assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.checkout', 2), 2);
  const stored = await rows(p.sink, 'SELECT event_id, country, ip FROM edge_events.checkout ORDER BY event_id');
  assert.equal(stored, [
    { event_id: 'co-2', country: 'DE', ip: '2003:e5:1234::' },
    { event_id: 'co-3', country: 'DE', ip: '80.152.0.0' },
  ]);
});

test('reports leave bots out unless asked; audience and activity cut by country and device type', async (ctx) => {
  const { p } = ctx;
  const reader = await startReader(
    ctx.services.config({ READ_KEYS: 'read-key-123456', EVENT_CATALOG: `catalog,${extra}` }),
    {
      clickhouse: p.sink.clickhouse,
    },
  );
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${reader.port}${path}`, {
      headers: { authorization: 'Bearer read-key-123456' },
    });
    return { status: res.status, json: await res.json() };
  };
  try {
    // The first test's four generic events of 2024-06-01: one of them Googlebot's.
    const range = 'from=2024-06-01&to=2024-06-01';
    const humans = await get(`/v1/reports/daily?type=generic&${range}`);
    assert.equal(humans.json.rows, [{ date: '2024-06-01', events: 3, users: 3 }], JSON.stringify(humans.json));
    const all = await get(`/v1/reports/daily?type=generic&${range}&bots=include`);
    assert.equal(all.json.rows, [{ date: '2024-06-01', events: 4, users: 4 }]);
    const countries = await get(`/v1/reports/audience?type=generic&${range}`);
    assert.equal(countries.json.rows, [
      { date: '2024-06-01', value: '', events: 1, users: 1 },
      { date: '2024-06-01', value: 'DE', events: 1, users: 1 },
      { date: '2024-06-01', value: 'US', events: 1, users: 1 },
    ]);
    const devices = await get(`/v1/reports/audience?type=generic&${range}&by=device_type&bots=include`);
    assert.equal(
      devices.json.rows.map((r: { value: string; events: number }) => `${r.value} ${r.events}`),
      ['bot 1', 'desktop 1', 'mobile 1', 'unknown 1'],
    );
    // Activity over the fallback type: bots left out, overall and per cut; the next day keeps them in WAU and MAU.
    const two = 'from=2024-06-01&to=2024-06-02';
    const active = await get(`/v1/reports/activity?${two}`);
    assert.equal(active.json.rows, [
      { date: '2024-06-01', dau: 3, wau: 3, mau: 3 },
      { date: '2024-06-02', dau: 0, wau: 3, mau: 3 },
    ]);
    const withBots = await get(`/v1/reports/activity?${range}&bots=include`);
    assert.equal(withBots.json.rows, [{ date: '2024-06-01', dau: 4, wau: 4, mau: 4 }]);
    const activeBy = async (by: string, bots = 'exclude') =>
      (await get(`/v1/reports/activity?${two}&by=${by}&bots=${bots}`)).json.rows.map(
        (r: { date: string; value: string; dau: number; mau: number }) => `${r.date} ${r.value} ${r.dau} ${r.mau}`,
      );
    assert.equal(await activeBy('country'), [
      '2024-06-01  1 1',
      '2024-06-01 DE 1 1',
      '2024-06-01 US 1 1',
      '2024-06-02  0 1',
      '2024-06-02 DE 0 1',
      '2024-06-02 US 0 1',
    ]);
    assert.equal(await activeBy('country', 'include'), [
      '2024-06-01  1 1',
      '2024-06-01 DE 2 2',
      '2024-06-01 US 1 1',
      '2024-06-02  0 1',
      '2024-06-02 DE 0 2',
      '2024-06-02 US 0 1',
    ]);
    assert.equal((await activeBy('device_type')).slice(0, 3), [
      '2024-06-01 desktop 1 1',
      '2024-06-01 mobile 1 1',
      '2024-06-01 unknown 1 1',
    ]);
    const badCut = await get(`/v1/reports/activity?${range}&by=browser`);
    assert.is(badCut.status, 400, JSON.stringify(badCut.json));
    const none = await get(`/v1/reports/audience?type=checkout&${range}&by=device_type`);
    assert.is(none.status, 400);
    assert.match(JSON.stringify(none.json), /Checkout has no device_type: its catalog enrich: has no user_agent/);
  } finally {
    await reader.stop();
  }
});

test.run();
