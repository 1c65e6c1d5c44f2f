// Ingest in-process, with a publisher that only records what it is given: the rows it publishes (ids, stamps, byte
// for byte), every refusal, the in-flight budget taken all or nothing, the stream's failures, and the steps — their
// order, the request context they see, and a step that refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFromSources, type NotStored, type OutgoingEvent, type Publisher } from '../../shared/mod.ts';
import type { CollectorObserver, Source } from './types.ts';
import type { Client } from './client.ts';
import { ingest, type IngestOptions, type Outcome } from './ingest.ts';
import { Budget } from './limiter.ts';
import type { IngestItem } from './segment.ts';
import { STEPS, stepsOf, type Step, type StepContext } from './steps/mod.ts';

const catalog = catalogFromSources(
  [
    {
      file: 'ingest-test.yaml',
      text: `
types:
  - name: PageView
    description: A page seen.
    time: ts
    fields:
      ts: { type: datetime }
      url: { type: string }
  - name: Visit
    description: A page seen in a browser, enriched.
    time: ts
    enrich: { user_agent: true, bots: drop, geo: true, ip: truncate }
    fields:
      ts: { type: datetime }
      url: { type: string }
  - name: Newsletter
    description: A sign-up to a newsletter; analytics needed, the email only with marketing consent.
    time: ts
    consent: { category: analytics, default: denied }
    fields:
      ts: { type: datetime }
      email: { type: string, consent: marketing }
      visits: { type: int, default: 1, consent: marketing }
  - name: Purchase
    description: Something bought.
    time: ts
    fields:
      ts: { type: datetime }
      amount: { type: int }
`,
    },
  ],
  3,
);
const pageView = catalog.find('PageView')!;
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0, 123);
const STAMPS = '"received_at":"2024-06-01 12:00:00.123","catalog_version":3';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A publisher that records each call (what the Publisher interface carries) and answers with what it is told
 *  (stored, by default). */
function recorder(answer: (e: OutgoingEvent, i: number) => NotStored | undefined = () => undefined) {
  const calls: { events: OutgoingEvent[]; headers?: Record<string, string> }[] = [];
  const publisher: Publisher = {
    publish: async (events, headers) => {
      calls.push({ events: events.map(({ subject, line, id }) => ({ subject, line, id })), headers });
      return events.map(answer);
    },
    ready: async () => true,
  };
  return { publisher, calls };
}

/** An observer keeping what it is told. */
function observed() {
  const events: string[] = [];
  const published: boolean[] = [];
  const observer: CollectorObserver = {
    request() {},
    events: (type, outcome, n) => void events.push(`${type} ${outcome} ${n}`),
    published: (_seconds, ok) => void published.push(ok),
    render: async () => ({ contentType: 'text/plain', body: '' }),
  };
  return { observer, events, published };
}

/** A client whose headers are the given ones, counting every read. */
function client(headers: Record<string, string> = {}, ip?: string) {
  const reads = { headers: [] as string[], ip: 0 };
  const c: Client = {
    get ip() {
      reads.ip++;
      return ip;
    },
    header: (name) => (reads.headers.push(name), headers[name]),
  };
  return { client: c, reads };
}

const ok = (value: unknown): IngestItem => ({ ok: true, value });
const view = (url: string, extra: Record<string, unknown> = {}) =>
  ok({ event: 'PageView', ts: '2024-06-01T11:59:00Z', url, ...extra });

function options(extra: Partial<IngestOptions> = {}): IngestOptions {
  return {
    catalog,
    eventLimitBytes: 10_000,
    form: false,
    now: NOW,
    client: client().client,
    inflight: new Budget(100),
    observer: observed().observer,
    lookups: { ipKey: new Uint8Array(32) },
    ...extra,
  };
}

const accepted = (o: Outcome) => {
  assert.is(o.status, 'accepted');
  return o as Extract<Outcome, { status: 'accepted' }>;
};

test('an accepted event gets a UUIDv7, received_at and catalog_version, appended to its row as bytes', async () => {
  const { publisher, calls } = recorder();
  const { observer, events, published } = observed();
  const traceparent = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  const outcomes = await ingest(
    [view('/a'), view('/b')],
    publisher,
    options({ observer, messageHeaders: traceparent }),
  );
  const [a, b] = outcomes.map(accepted);
  assert.ok(UUID_V7.test(a!.event_id), a!.event_id);
  assert.is.not(a!.event_id, b!.event_id);
  assert.is(a!.type, 'page_view');
  assert.is(calls.length, 1, 'one publish call for the request');
  assert.equal(calls[0]!.headers, traceparent);
  assert.equal(calls[0]!.events, [
    {
      subject: 'events.page_view',
      line: `{"ts":"2024-06-01 11:59:00","url":"/a","event_id":"${a!.event_id}",${STAMPS}}`,
      id: `event:${a!.event_id}`,
    },
    {
      subject: 'events.page_view',
      line: `{"ts":"2024-06-01 11:59:00","url":"/b","event_id":"${b!.event_id}",${STAMPS}}`,
      id: `event:${b!.event_id}`,
    },
  ]);
  assert.equal(events, ['page_view accepted 2']);
  assert.equal(published, [true]);
});

test('a client-given event_id is kept, where the client put it, and in the message id behind its prefix', async () => {
  const { publisher, calls } = recorder();
  const [o] = await ingest([view('/a', { event_id: 'client-1' })], publisher, options());
  assert.is(accepted(o!).event_id, 'client-1');
  assert.equal(calls[0]!.events, [
    {
      subject: 'events.page_view',
      line: `{"ts":"2024-06-01 11:59:00","url":"/a","event_id":"client-1",${STAMPS}}`,
      id: 'event:client-1',
    },
  ]);
  // An event_id written to look like a redrive's or a batch's id stays in the client's namespace.
  const forged = await ingest([view('/b', { event_id: 'redrive:DLQ:1' })], publisher, options());
  assert.is(accepted(forged[0]!).event_id, 'redrive:DLQ:1');
  assert.is(calls[1]!.events[0]!.id, 'event:redrive:DLQ:1');
});

test('invalid events are refused with what is wrong, and only the valid ones are published, in order', async () => {
  const { publisher, calls } = recorder();
  const { observer, events } = observed();
  const unparsable: IngestItem = { ok: false, issues: [{ path: '', message: 'not JSON' }] };
  const outcomes = await ingest(
    [
      unparsable,
      ok('a string'),
      ok({ event: 'Nothing', ts: '2024-06-01T11:59:00Z' }),
      ok({ event: 'Purchase', ts: '2024-06-01T11:59:00Z', amount: 'ten' }),
      ok({ event: 'Purchase', ts: '2024-06-01T11:59:00Z', amount: 10 }),
    ],
    publisher,
    options({ observer }),
  );
  assert.equal(outcomes.slice(0, 2), [
    { status: 'rejected', refusal: 'invalid', issues: [{ path: '', message: 'not JSON' }], type: undefined },
    {
      status: 'rejected',
      refusal: 'invalid',
      issues: [{ path: '', message: 'expected a JSON object' }],
      type: undefined,
    },
  ]);
  const unknown = outcomes[2] as Extract<Outcome, { status: 'rejected' }>;
  assert.is(unknown.refusal, 'invalid');
  assert.equal(
    unknown.issues.map((i) => i.path),
    ['event'],
  );
  assert.match(unknown.issues[0]!.message, /"Nothing" names no event type in the catalog/);
  const wrong = outcomes[3] as Extract<Outcome, { status: 'rejected' }>;
  assert.equal([wrong.status, wrong.refusal, wrong.type], ['rejected', 'invalid', 'purchase']);
  assert.equal(
    wrong.issues.map((i) => i.path),
    ['amount'],
  );
  assert.is(accepted(outcomes[4]!).type, 'purchase');
  assert.equal(
    calls.flatMap((c) => c.events.map((e) => e.subject)),
    ['events.purchase'],
  );
  assert.equal(events.sort(), ['purchase accepted 1', 'purchase invalid 1', 'unknown invalid 3']);
});

test('the route or the item names the type; a source may send only its own types (forbidden)', async () => {
  const { publisher, calls } = recorder();
  const purchase = catalog.find('Purchase')!;
  const routed = await ingest([ok({ ts: '2024-06-01T11:59:00Z', amount: 1 })], publisher, options({ type: purchase }));
  assert.is(accepted(routed[0]!).type, 'purchase');
  const named = await ingest(
    [{ ok: true, value: { ts: '2024-06-01T11:59:00Z', url: '/x' }, type: pageView }],
    publisher,
    options(),
  );
  assert.is(accepted(named[0]!).type, 'page_view');

  const source: Source = { name: 'shop', key: 'k', types: ['Purchase'] };
  const { observer, events } = observed();
  const [refused, allowed] = await ingest(
    [view('/a'), ok({ event: 'purchase', ts: '2024-06-01T11:59:00Z', amount: 2 })],
    publisher,
    options({ source, observer }),
  );
  assert.equal(refused, {
    status: 'rejected',
    refusal: 'forbidden',
    issues: [{ path: 'event', message: 'source "shop" may not send PageView events' }],
    type: 'page_view',
  });
  assert.is(accepted(allowed!).type, 'purchase');
  assert.is(calls.length, 3);
  assert.equal(events.sort(), ['page_view forbidden 1', 'purchase accepted 1']);
});

test('an event over the per-event limit, in UTF-8 bytes with its stamps, is refused as too_large', async () => {
  const { publisher, calls } = recorder();
  // With its stamps the row is 187 characters, but 227 bytes: 40 × "é" is 80 bytes.
  const [big, small] = await ingest([view('é'.repeat(40)), view('/a')], publisher, options({ eventLimitBytes: 200 }));
  assert.is(big!.status, 'rejected');
  const refused = big as Extract<Outcome, { status: 'rejected' }>;
  assert.is(refused.refusal, 'too_large');
  assert.is(refused.type, 'page_view');
  assert.equal(refused.issues, [{ path: '', message: 'event is 227 bytes, over the per-event limit of 200 bytes' }]);
  accepted(small!);
  assert.is(calls[0]!.events.length, 1);
});

test('the in-flight budget: all of a request`s events fit or none is published (overloaded); given back', async () => {
  const inflight = new Budget(3);
  assert.ok(inflight.tryTake(2), 'another request holds 2');
  const { publisher, calls } = recorder();
  const { observer, events } = observed();
  const outcomes = await ingest([view('/a'), view('/b')], publisher, options({ inflight, observer }));
  assert.equal(outcomes, [
    {
      status: 'unavailable',
      reason: 'overloaded',
      type: 'page_view',
    },
    {
      status: 'unavailable',
      reason: 'overloaded',
      type: 'page_view',
    },
  ]);
  assert.is(calls.length, 0, 'nothing published');
  assert.is(inflight.used, 2, 'nothing taken');
  assert.equal(events, ['page_view overloaded 2']);

  // One event fits: taken while it awaits the stream, given back once answered.
  let during = -1;
  const watching: Publisher = {
    publish: async (evts) => ((during = inflight.used), evts.map(() => undefined)),
    ready: async () => true,
  };
  accepted((await ingest([view('/c')], watching, options({ inflight })))[0]!);
  assert.is(during, 3);
  assert.is(inflight.used, 2);
});

test('what the stream did not store is unavailable with its reason; the budget is given back', async () => {
  const inflight = new Budget(10);
  const { publisher } = recorder((_e, i) =>
    i === 1 ? { reason: 'timeout', message: 'no PubAck in 600 ms' } : undefined,
  );
  const { observer, events, published } = observed();
  const [first, second] = await ingest([view('/a'), view('/b')], publisher, options({ inflight, observer }));
  accepted(first!);
  // What the stream said in words is not carried to the answer.
  assert.equal(second, { status: 'unavailable', reason: 'timeout', type: 'page_view' });
  assert.is(inflight.used, 0);
  assert.equal(published, [false]);
  assert.equal(events.sort(), ['page_view accepted 1', 'page_view unavailable 1']);
});

test('the steps: every one in order; a type runs those it asks for, worked out once', () => {
  assert.equal(
    STEPS.map((s) => s.name),
    ['event_id', 'suppression', 'consent', 'bots', 'user_agent', 'geo', 'ip', 'received_at', 'catalog_version'],
  );
  assert.equal(
    stepsOf(pageView).map((s) => s.name),
    ['event_id', 'received_at', 'catalog_version'],
  );
  assert.equal(
    stepsOf(catalog.find('Visit')!).map((s) => s.name),
    STEPS.map((s) => s.name).filter((s) => s !== 'consent' && s !== 'suppression'),
  );
  assert.is(stepsOf(pageView), stepsOf(pageView));
});

test('steps run in order for every event, with the request context; the user agent is read once', async () => {
  const seen: string[] = [];
  const contexts: StepContext[] = [];
  const first: Step = {
    name: 'first',
    apply(row, ctx) {
      seen.push(`first ${String(row.url)} ${row.event_id === undefined ? 'before' : 'after'} event_id`);
      contexts.push(ctx);
      return undefined;
    },
  };
  const last: Step = {
    name: 'last',
    apply(row, ctx) {
      seen.push(`last ${String(row.url)}`);
      row.agent = ctx.userAgent;
      row.ip = ctx.ip;
      row.type_key = ctx.type.key;
      return undefined;
    },
  };
  const { client: c, reads } = client({ 'user-agent': 'curl/8', cookie: 'secret' }, '203.0.113.7');
  const { publisher, calls } = recorder();
  const outcomes = await ingest(
    [view('/a'), view('/b')],
    publisher,
    options({ client: c, steps: [first, ...STEPS, last] }),
  );
  assert.equal(seen, ['first /a before event_id', 'last /a', 'first /b before event_id', 'last /b']);
  assert.equal(reads.headers, ['user-agent'], 'the user agent read once, no other header');
  assert.is(reads.ip, 2, 'the address is read when a step reads it');
  const ctx = contexts[0]!;
  assert.is(contexts[1], ctx, 'one context per request');
  assert.equal([ctx.now, ctx.catalogVersion, ctx.type.key, ctx.ip], [NOW, 3, 'page_view', '203.0.113.7']);
  const id = accepted(outcomes[0]!).event_id;
  assert.is(
    calls[0]!.events[0]!.line,
    `{"ts":"2024-06-01 11:59:00","url":"/a","event_id":"${id}",${STAMPS},` +
      '"agent":"curl/8","ip":"203.0.113.7","type_key":"page_view"}',
  );
});

test('enrichment as the type asks: device, geo, the network only; a bot dropped, answered and counted', async () => {
  const chrome =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
  const visit = (url: string) => ok({ event: 'Visit', ts: '2024-06-01T11:59:00Z', url });
  const places: string[] = [];
  const geo = (ip: string) => (places.push(ip), { country: 'DE', region: 'BE', city: 'Berlin' });
  const { publisher, calls } = recorder();
  const human = client({ 'user-agent': chrome }, '198.51.100.77');
  const [kept] = await ingest(
    [visit('/a')],
    publisher,
    options({ client: human.client, lookups: { geo, ipKey: new Uint8Array(32) } }),
  );
  accepted(kept!);
  const row = JSON.parse(calls[0]!.events[0]!.line);
  assert.equal(
    [row.browser, row.browser_version, row.os, row.device_type, row.is_bot, row.country, row.region, row.city, row.ip],
    ['Chrome', '120', 'Windows', 'desktop', 0, 'DE', 'BE', 'Berlin', '198.51.100.0'],
  );
  assert.equal(places, ['198.51.100.77'], 'geo looked up with the full address, the row keeps its network');

  // A Segment-style call names its own address and user agent: they win over the request's.
  const viaServer: IngestItem = { ...visit('/s'), client: { ip: '192.0.2.200', userAgent: chrome } };
  const server = client({ 'user-agent': 'analytics-node/6.0' }, '10.0.0.1');
  await ingest([viaServer], publisher, options({ client: server.client, lookups: { geo, ipKey: new Uint8Array(32) } }));
  const sent = JSON.parse(calls[1]!.events[0]!.line);
  assert.equal([sent.browser, sent.ip, places.at(-1)], ['Chrome', '192.0.2.0', '192.0.2.200']);
  assert.equal(server.reads.headers, [], "the request's user agent is not read when the call gives one");

  const { observer, events } = observed();
  const bot = client({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
  const [dropped] = await ingest([visit('/b')], publisher, options({ client: bot.client, observer }));
  assert.is(dropped!.status, 'accepted');
  assert.is((dropped as { dropped?: string }).dropped, 'bot');
  assert.is(calls.length, 2, 'a dropped bot is not published');
  assert.equal(events, ['visit dropped_bot 1']);
});

test('without steps that ask, no header and no address is read', async () => {
  const { client: c, reads } = client({ 'user-agent': 'curl/8' }, '203.0.113.7');
  accepted((await ingest([view('/a')], recorder().publisher, options({ client: c })))[0]!);
  assert.equal(reads, { headers: [], ip: 0 });
});

test('a step that refuses an event: its refusal is the outcome, later steps skip it, it is not published', async () => {
  const later: string[] = [];
  const noTests: Step = {
    name: 'no_tests',
    apply: (row) =>
      String(row.url).startsWith('/test')
        ? { refusal: 'forbidden', issues: [{ path: 'url', message: 'test pages are not recorded' }] }
        : undefined,
  };
  const after: Step = { name: 'after', apply: (row) => void later.push(String(row.url)) };
  const { publisher, calls } = recorder();
  const { observer, events } = observed();
  const [refused, kept] = await ingest(
    [view('/test/1'), view('/a')],
    publisher,
    options({ observer, steps: [...STEPS, noTests, after] }),
  );
  assert.equal(refused, {
    status: 'rejected',
    refusal: 'forbidden',
    issues: [{ path: 'url', message: 'test pages are not recorded' }],
    type: 'page_view',
  });
  accepted(kept!);
  assert.equal(later, ['/a']);
  assert.equal(
    calls[0]!.events.map((e) => JSON.parse(e.line).url),
    ['/a'],
  );
  assert.equal(events.sort(), ['page_view accepted 1', 'page_view forbidden 1']);
});

test('consent: an event without its type category is dropped and counted; a field without its own, empty', async () => {
  const { publisher, calls } = recorder();
  const { observer, events } = observed();
  const signup = (consent?: unknown) =>
    ok({ event: 'Newsletter', ts: '2024-06-01T11:59:00Z', email: 'a@b.c', visits: 7, ...(consent ? { consent } : {}) });
  const outcomes = await ingest(
    [
      signup({ analytics: true, marketing: true }),
      signup({ analytics: true }),
      signup({ analytics: false, marketing: true }),
      // Nothing said: the type's default (denied).
      signup(),
      // A Segment call's categoryPreferences stand for the event's own.
      { ...signup(), client: { consent: { analytics: true, marketing: false } } },
      signup({ analytics: 'yes' }),
    ],
    publisher,
    options({ observer }),
  );
  assert.equal(
    outcomes.map((o) => (o.status === 'accepted' ? (o.dropped ?? 'stored') : o.status)),
    ['stored', 'stored', 'consent', 'consent', 'stored', 'rejected'],
  );
  assert.equal(outcomes[5], {
    status: 'rejected',
    refusal: 'invalid',
    issues: [{ path: 'consent', message: 'category "analytics": expected true or false' }],
    type: undefined,
  });
  const stored = calls[0]!.events.map((e) => JSON.parse(e.line));
  assert.equal(
    stored.map((r) => [r.email, r.visits, 'consent' in r]),
    [
      ['a@b.c', 7, false],
      ['', 1, false],
      ['', 1, false],
    ],
    'the email and the count kept only with marketing consent (else empty, or the default); consent itself not stored',
  );
  assert.equal(events.sort(), ['newsletter accepted 3', 'newsletter dropped_consent 2', 'unknown invalid 1']);
});

test.run();
