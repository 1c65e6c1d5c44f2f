// Segment's API mapped onto edge-events: routes, request bodies, typed vs segment_events rows, clock skew, and issues.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SEGMENT_ROUTES, segmentBody, segmentItem, type IngestItem } from './segment.ts';
import { HttpError } from './http-error.ts';
import { validateEvent } from '../../shared/mod.ts';
import type { Source } from './types.ts';
import { loadCatalogFiles } from '../../shared/node/mod.ts';

const catalog = loadCatalogFiles('catalog');
const segmentEvent = catalog.segment!;
const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const web: Source = { name: 'web', key: 'write-key-web-1' };

function refused(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

function ok(item: IngestItem): Record<string, unknown> {
  if (!item.ok) throw new Error(`expected an item, got ${JSON.stringify(item.issues)}`);
  return item.value as Record<string, unknown>;
}

const paths = (item: IngestItem) => (item.ok ? [] : item.issues.map((i) => i.path));

test('routes: every call and batch, in full and as the one-letter forms analytics.js uses', () => {
  const calls = { track: 't', identify: 'i', page: 'p', screen: 's', group: 'g', alias: 'a', batch: 'b' } as const;
  for (const [call, letter] of Object.entries(calls)) {
    assert.is(SEGMENT_ROUTES[`/v1/${call}`], call);
    assert.is(SEGMENT_ROUTES[`/v1/${letter}`], call);
  }
  assert.is(Object.keys(SEGMENT_ROUTES).length, 14);
  assert.is(SEGMENT_ROUTES['/v1/x'], undefined);
  assert.is(SEGMENT_ROUTES['/v1/'], undefined);
});

test('segmentBody: one call is one message; a batch its array, with batch-level writeKey and sentAt', () => {
  const call = { userId: 'u1', event: 'Signed Up', writeKey: 'k1' };
  assert.equal(segmentBody('track', call), { messages: [call], batch: false, writeKey: 'k1' });
  const batch = { batch: [{ type: 'track' }, { type: 'page' }], writeKey: 'k2', sentAt: '2025-03-01T11:59:59Z' };
  assert.equal(segmentBody('batch', batch), {
    messages: batch.batch,
    batch: true,
    writeKey: 'k2',
    sentAt: '2025-03-01T11:59:59Z',
  });
});

test('segmentBody refusals: not an object, or a batch without a non-empty array → 400', () => {
  for (const body of [null, 'x', 42, [], [{ userId: 'u1' }]]) {
    const err = refused(() => segmentBody('track', body));
    assert.is(err.status, 400, JSON.stringify(body));
    assert.is(err.message, 'expected a JSON object');
  }
  assert.is(refused(() => segmentBody('batch', [])).status, 400);
  for (const body of [{}, { batch: [] }, { batch: {} }, { batch: 'x' }, { batch: null }]) {
    const err = refused(() => segmentBody('batch', body));
    assert.is(err.status, 400, JSON.stringify(body));
    assert.is(err.message, 'expected a non-empty "batch" array');
  }
});

test('a track naming a typed schema is stored as that type: fields from properties, numeric user_id', () => {
  const item = segmentItem(
    'track',
    { event: 'CartAdd', userId: '42', properties: { item_id: 7 }, messageId: 'm-1', timestamp: '2025-03-01T11:00:00Z' },
    { catalog, now: NOW },
  );
  assert.ok(item.ok);
  assert.is(item.type?.key, 'cart_add');
  const value = ok(item);
  assert.equal(value, { item_id: 7, user_id: 42, timestamp: '2025-03-01T11:00:00.000Z', event_id: 'm-1' });
  // The row it makes passes the type's own validation.
  assert.ok(validateEvent(item.type!, value).ok);
  // snake_case names are found too.
  assert.is(segmentItem('track', { event: 'cart_add', userId: 1 }, { catalog, now: NOW }).type?.key, 'cart_add');
});

test('typed track: user_id from properties first, else userId (a number if all digits), else anonymousId', () => {
  const at = { catalog, now: NOW };
  const props = { item_id: 7, user_id: 9 };
  assert.is(ok(segmentItem('track', { event: 'CartAdd', userId: '42', properties: props }, at)).user_id, 9);
  assert.is(ok(segmentItem('track', { event: 'CartAdd', userId: 42, properties: { item_id: 7 } }, at)).user_id, 42);
  assert.is(ok(segmentItem('track', { event: 'CartAdd', userId: 'ab', properties: { item_id: 7 } }, at)).user_id, 'ab');
  assert.is(ok(segmentItem('track', { event: 'CartAdd', anonymousId: 'anon' }, at)).user_id, 'anon');
  // No time given: the time is now.
  assert.is(ok(segmentItem('track', { event: 'CartAdd', userId: '1' }, at)).timestamp, '2025-03-01T12:00:00.000Z');
});

test('any other call lands as a segment event, properties/traits/context as JSON text (no address), source', () => {
  const item = segmentItem(
    'track',
    {
      event: 'Signed Up',
      userId: 'u1',
      anonymousId: 'a1',
      messageId: 'm-2',
      properties: { plan: 'pro' },
      traits: { email: 'x@y.z' },
      context: { ip: '1.2.3.4', userAgent: 'Mozilla/5.0', locale: 'de-DE' },
      timestamp: '2025-03-01T10:00:00Z',
    },
    { catalog, now: NOW, source: web },
  );
  assert.ok(item.ok);
  assert.is(item.type, segmentEvent);
  assert.is(item.type?.key, 'segment');
  assert.is(item.type?.table, 'segment_events');
  const value = ok(item);
  assert.equal(value, {
    event_id: 'm-2',
    type: 'track',
    event: 'Signed Up',
    name: '',
    user_id: 'u1',
    anonymous_id: 'a1',
    group_id: '',
    previous_id: '',
    properties: '{"plan":"pro"}',
    traits: '{"email":"x@y.z"}',
    context: '{"userAgent":"Mozilla/5.0","locale":"de-DE"}',
    timestamp: '2025-03-01T10:00:00.000Z',
    source: 'web',
  });
  assert.equal(item.client, { ip: '1.2.3.4', userAgent: 'Mozilla/5.0' }, 'the address goes to the steps only');
  assert.ok(validateEvent(segmentEvent, value).ok);
});

test('segment events: each call type, numeric ids as text, empty JSON objects and no source by default', () => {
  const at = { catalog, now: NOW };
  const identify = ok(segmentItem('identify', { userId: 5, traits: { name: 'Ann' } }, at));
  assert.is(identify.type, 'identify');
  assert.is(identify.user_id, '5');
  assert.is(identify.properties, '{}');
  assert.is(identify.context, '{}');
  assert.is(identify.traits, '{"name":"Ann"}');
  assert.is(identify.source, '');
  assert.is(identify.timestamp, '2025-03-01T12:00:00.000Z');

  const page = ok(segmentItem('page', { anonymousId: 'a1', name: 'Home' }, at));
  assert.is(page.type, 'page');
  assert.is(page.name, 'Home');
  assert.is(page.user_id, '');
  assert.is(page.event, '');
  assert.is(ok(segmentItem('screen', { userId: 'u', name: 'Main' }, at)).type, 'screen');
  assert.is(ok(segmentItem('group', { userId: 'u', groupId: 77 }, at)).group_id, '77');
  assert.is(ok(segmentItem('alias', { userId: 'u', previousId: 'old' }, at)).previous_id, 'old');

  // The route sets the type: a message's own type does not count outside /v1/batch.
  assert.is(ok(segmentItem('page', { type: 'track', userId: 'u' }, at)).type, 'page');
  // In a batch, the message's type decides, and a typed track works there too.
  assert.is(ok(segmentItem('batch', { type: 'identify', userId: 'u' }, at)).type, 'identify');
  const typed = segmentItem('batch', { type: 'track', event: 'CartAdd', userId: '3', properties: { item_id: 1 } }, at);
  assert.is(typed.ok && typed.type?.key, 'cart_add');

  // A track naming no typed schema (unknown, generic, or the segment type itself) is a segment event.
  for (const event of ['Signed Up', 'generic', 'SegmentEvent', 'segment']) {
    const item = segmentItem('track', { userId: 'u', event }, at);
    assert.is(item.ok && item.type, segmentEvent, event);
    assert.is(ok(item).event, event);
  }
});

test('clock skew: timestamp + (now − sentAt), with sentAt in the message or given at batch level', () => {
  const ts = '2025-03-01T11:00:00.000Z';
  const time = (input: Record<string, unknown>, sentAt?: unknown) =>
    ok(segmentItem('track', { userId: 'u', event: 'x', ...input }, { catalog, now: NOW, sentAt })).timestamp;
  // The client's clock is 10 minutes behind the server's: its times move 10 minutes later.
  assert.is(time({ timestamp: ts, sentAt: '2025-03-01T11:50:00Z' }), '2025-03-01T11:10:00.000Z');
  assert.is(time({ timestamp: ts }, '2025-03-01T11:50:00Z'), '2025-03-01T11:10:00.000Z');
  // A clock ahead moves them earlier; the message's own sentAt wins over the batch's.
  const ahead = time({ timestamp: ts, sentAt: '2025-03-01T12:05:00Z' }, '2025-03-01T11:50:00Z');
  assert.is(ahead, '2025-03-01T10:55:00.000Z');
  // No sentAt, or a batch-level one that is not a date: no correction.
  assert.is(time({ timestamp: ts }), ts);
  assert.is(time({ timestamp: ts }, 'yesterday'), ts);
  assert.is(time({ timestamp: ts }, 12345), ts);
  // originalTimestamp when there is no timestamp; now when there is neither.
  assert.is(time({ originalTimestamp: ts }, '2025-03-01T11:59:00Z'), '2025-03-01T11:01:00.000Z');
  assert.is(time({ sentAt: '2025-03-01T11:00:00Z' }), '2025-03-01T12:00:00.000Z');
  // Typed events are corrected the same way, into their time field.
  const typed = segmentItem(
    'track',
    { event: 'CartAdd', userId: '1', properties: { item_id: 1 }, timestamp: ts },
    { catalog, now: NOW, sentAt: '2025-03-01T11:59:00Z' },
  );
  assert.is(ok(typed).timestamp, '2025-03-01T11:01:00.000Z');
});

test('times: zone-less is UTC whatever the server zone; not-quite-dates and skews past the range are refused', () => {
  const item = (input: Record<string, unknown>) =>
    segmentItem('track', { userId: 'u', event: 'x', ...input }, { catalog, now: NOW });
  assert.is(ok(item({ timestamp: '2025-03-01T10:00:00' })).timestamp, '2025-03-01T10:00:00.000Z');
  assert.is(ok(item({ timestamp: '2025-03-01 10:00:00' })).timestamp, '2025-03-01T10:00:00.000Z');
  for (const timestamp of ['1', 'March 7', '+275760-09-13T00:00:00Z'])
    assert.equal(paths(item({ timestamp })), ['timestamp'], timestamp);
  // A valid time that the skew correction pushes out of range is a 400, not a crash.
  const skewed = item({ timestamp: '2105-12-31T00:00:00Z', sentAt: '1971-01-01T00:00:00Z' });
  assert.equal(paths(skewed), ['timestamp']);
});

test('an empty messageId is no id: the collector assigns one', () => {
  assert.is(ok(segmentItem('identify', { userId: 'u', messageId: '' }, { catalog, now: NOW })).event_id, undefined);
});

test('issues are named by path', () => {
  const at = { catalog, now: NOW };
  assert.equal(paths(segmentItem('track', { event: 'x' }, at)), ['userId']);
  assert.equal(paths(segmentItem('identify', { userId: '', anonymousId: '' }, at)), ['userId']);
  assert.equal(paths(segmentItem('track', { userId: 'u' }, at)), ['event']);
  assert.equal(paths(segmentItem('track', { userId: 'u', event: '' }, at)), ['event']);
  assert.equal(paths(segmentItem('alias', { userId: 'u' }, at)), ['previousId']);
  assert.equal(paths(segmentItem('group', { userId: 'u' }, at)), ['groupId']);
  assert.equal(paths(segmentItem('batch', { userId: 'u' }, at)), ['type']);
  assert.equal(paths(segmentItem('batch', { type: 'purchase', userId: 'u' }, at)), ['type']);
  assert.equal(paths(segmentItem('track', { userId: 'u', event: 'x', timestamp: 'not a date' }, at)), ['timestamp']);
  assert.equal(paths(segmentItem('track', { userId: 'u', event: 'x', sentAt: 'soon' }, at)), ['sentAt']);
  assert.equal(paths(segmentItem('track', { userId: 'u', event: 'x', properties: 'a' }, at)), ['properties']);
  assert.equal(paths(segmentItem('track', { userId: 'u', event: 'x', properties: [1, 2] }, at)), ['properties']);
  for (const input of [null, 'x', 3, [{ userId: 'u' }]]) {
    const item = segmentItem('batch', input, at);
    assert.equal(item, { ok: false, issues: [{ path: '', message: 'expected a JSON object' }] }, JSON.stringify(input));
  }
  // Every issue carries a message for people.
  const item = segmentItem('track', {}, at);
  assert.ok(!item.ok && item.issues.every((i) => i.message.length > 0));
});

test.run();
