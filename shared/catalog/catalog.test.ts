// The shipped catalog (catalog/*.yaml): type lookup, validation and coercion, and event-time parsing. The DDL made from
// it is tested in shared/schema, the documents in shared/docs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../node/mod.ts';
import { formatUtc, parseEventTime, utcTextOf } from './event-time.ts';
import { validateEvent } from './validate.ts';

const catalog = loadCatalogFiles('catalog');
const eventTypes = catalog.types;
const generic = catalog.fallback!;
const findEventType = catalog.find;
const eventTypeOf = (e: Record<string, unknown>) => catalog.of(e)!;
const marketplace = eventTypes.filter((t) => t.spec.order_by?.join() === 'timestamp,user_id');

test('types resolve by seed name, snake_case and lower case; unknown names are generic', () => {
  assert.is(findEventType('PageVisit')?.table, 'page_visit');
  assert.is(findEventType('page_visit')?.name, 'PageVisit');
  assert.is(findEventType('order_history_viewing')?.name, 'OrderHistoryViewing');
  assert.is(findEventType('NoSuch'), undefined);
  assert.is(eventTypeOf({ event: 'CartAdd' }).key, 'cart_add');
  assert.is(eventTypeOf({ event: 'view' }), generic);
  assert.is(eventTypeOf({}), generic);
  assert.is(marketplace.length, 21, 'all seed 003 types');
  assert.ok(marketplace.every((t) => eventTypes.includes(t)));
  assert.is(new Set(eventTypes.map((t) => t.table)).size, eventTypes.length, 'one table per type');
});

test('generic events: userid alias, defaults, zone required, number user ids as text', () => {
  const ok = validateEvent(generic, { dt: '2020-01-01T14:16:34+03:00', event: 'view', userid: 7 });
  assert.ok(ok.ok);
  if (ok.ok)
    assert.equal(ok.row, { dt: '2020-01-01 11:16:34', event: 'view', user_id: '7', screen: '', elem: '', amount: 0 });
  const bad = validateEvent(generic, { dt: '2020-01-01T14:16:34', event: 'view', user_id: '1' });
  assert.not.ok(bad.ok);
  if (!bad.ok)
    assert.equal(
      bad.issues.map((i) => i.path),
      ['dt'],
    );
});

test('form values are coerced by column type, and only when numeric', () => {
  const ok = validateEvent(
    generic,
    { dt: '2020-01-01T00:00:00Z', event: 'pay', userid: '1', amount: '100', screen: '' },
    { fromForm: true },
  );
  assert.ok(ok.ok);
  if (ok.ok) assert.is(ok.row.amount, 100);
  const bad = validateEvent(
    generic,
    { dt: '2020-01-01T00:00:00Z', event: 'pay', userid: '1', amount: '1e' },
    { fromForm: true },
  );
  assert.not.ok(bad.ok);
  const asJson = validateEvent(generic, { dt: '2020-01-01T00:00:00Z', event: 'pay', user_id: '1', amount: '100' });
  assert.not.ok(asJson.ok, 'JSON bodies are not coerced');
});

test('typed events enforce ranges and nullability', () => {
  const type = findEventType('ItemReturn')!;
  const base = { timestamp: '2024-01-01 00:00:00', user_id: 1, item_id: 2, order_id: 3 };
  assert.ok(validateEvent(type, { ...base, reason_type: 4, reason_user_message: null }).ok);
  assert.ok(validateEvent(type, { ...base, reason_type: 0 }).ok, 'nullable fields may be left out');
  const bad = validateEvent(type, { ...base, user_id: 1.5, reason_type: 5 });
  assert.not.ok(bad.ok);
  if (!bad.ok) assert.equal(bad.issues.map((i) => i.path).sort(), ['reason_type', 'user_id']);
});

test('event time: zones, fractions, seed formats, impossible dates', () => {
  assert.is(parseEventTime('2020-01-01T14:16:34Z', 'required'), Date.UTC(2020, 0, 1, 14, 16, 34));
  assert.is(parseEventTime('2020-01-01T14:16:34.5-01:30', 'required'), Date.UTC(2020, 0, 1, 15, 46, 34, 500));
  assert.is(parseEventTime('2022-02-03 12:03:05', 'optional'), Date.UTC(2022, 1, 3, 12, 3, 5));
  assert.type(parseEventTime('2022-02-03 12:03:05', 'required'), 'string');
  assert.type(parseEventTime('2021-02-29T00:00:00Z', 'required'), 'string');
  assert.type(parseEventTime('1969-12-31T23:59:59Z', 'required'), 'string');
  assert.type(parseEventTime('yesterday', 'optional'), 'string');
  assert.is(formatUtc(Date.UTC(2020, 0, 2, 3, 4, 5, 6), true), '2020-01-02 03:04:05.006');
});

test('event time: the UTC fast path agrees with the full parser on 20,000 near-valid inputs', () => {
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const two = (n: number) => String(n).padStart(2, '0');
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const sep = ['T', 't', ' ', 'x'][rand(4)];
    const frac = ['', '.5', ',123', '.123456789', '.1234567890', '.', '.12a'][rand(7)];
    const zone = ['Z', 'z', '', '+00:00', '-01:30', 'ZZ'][rand(6)];
    const text =
      `${1968 + rand(140)}-${two(rand(14))}-${two(rand(33))}${sep}` +
      `${two(rand(25))}:${two(rand(61))}:${two(rand(61))}${frac}${zone}`;
    for (const rule of ['required', 'optional'] as const) {
      const fast = utcTextOf(text, rule);
      const full = parseEventTime(text, rule);
      if (fast === undefined) continue;
      taken++;
      assert.is(fast, typeof full === 'number' ? formatUtc(full) : `error: ${full}`, `${text} (${rule})`);
    }
  }
  assert.ok(taken > 1000, `the fast path took only ${taken} inputs`);
  assert.is(utcTextOf('2024-06-01T12:00:00Z', 'required'), '2024-06-01 12:00:00');
  assert.is(utcTextOf('2024-02-29 23:59:59', 'optional'), '2024-02-29 23:59:59');
  assert.is(utcTextOf('2024-06-01T12:00:00+01:00', 'required'), undefined, 'offsets go to the full parser');
});

test.run();
