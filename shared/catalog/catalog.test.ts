// The shipped catalog (catalog/*.yaml): type lookup, validation and coercion, event-time parsing, and the generated
// artefacts (DDL for both dialects, JSON Schema, OpenAPI, SDK types), including that the checked-in copies are
// current.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../node/mod.ts';
import { catalogDdl, columnsOf, modernDialect, tableDdl } from './ddl.ts';
import { formatUtc, parseEventTime, utcTextOf } from './event-time.ts';
import { generatedFiles } from './generated-files.ts';
import { validateEvent } from './validate.ts';
import { exampleEvent } from './examples.ts';

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

test('DDL: every table dedupes on event_id and is partitioned by month of its event time', () => {
  for (const type of eventTypes) {
    const ddl = tableDdl(type, 'db', modernDialect).join('\n');
    assert.match(ddl, /ENGINE = ReplacingMergeTree\(\)/);
    assert.match(ddl, new RegExp(`PARTITION BY toYYYYMM\\(\`${type.timeField}\`\\)`));
    assert.match(ddl, /ORDER BY \(.*`event_id`\)\nSETTINGS non_replicated_deduplication_window = 1000$/);
    assert.equal(columnsOf(type, modernDialect).slice(-3), [
      ['received_at', "DateTime64(3, 'UTC')"],
      ['catalog_version', 'UInt32'],
      ['inserted_at', "DateTime64(3, 'UTC')", 'now64(3)'],
    ]);
  }
  const generic_ = columnsOf(generic, modernDialect).map(([n]) => n);
  assert.equal(generic_, [
    'event_id',
    'dt',
    'event',
    'user_id',
    'screen',
    'elem',
    'amount',
    'received_at',
    'catalog_version',
    'inserted_at',
  ]);
  const oldDialect = {
    lowCardinality: false,
    dateTime64: false,
    dedupWindow: false,
    addColumnIfNotExists: false,
    bitmaps: false,
    ttl: false,
  };
  const old = catalogDdl(catalog, 'db', oldDialect).join('\n');
  assert.not.match(old, /LowCardinality|DateTime64|groupBitmap/);
  assert.match(catalogDdl(catalog, 'db').join('\n'), /groupBitmapState/);
  assert.match(
    catalogDdl(catalog, 'db').join('\n'),
    /MATERIALIZED VIEW IF NOT EXISTS db\.latest_view_mv TO db\.latest_view/,
  );
});

test('DDL on a cluster: replicated local tables, Distributed tables sharded by event_id, views between locals', () => {
  const dialect = { ...modernDialect, cluster: 'c1' };
  const ddl = catalogDdl(catalog, 'db', dialect);
  const events = ddl.filter((s) => /^CREATE TABLE IF NOT EXISTS db\.events(_local)? /.test(s));
  assert.is(events.length, 2);
  assert.match(
    events[0]!,
    /^CREATE TABLE IF NOT EXISTS db\.events_local ON CLUSTER c1 \(/,
    'the rows are stored in a local table on every node',
  );
  assert.match(
    events[0]!,
    /ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/events_local', '\{replica\}'\)/,
  );
  assert.not.match(events[0]!, /non_replicated_deduplication_window/, 'replicated tables have their own window');
  assert.match(events[1]!, /ENGINE = Distributed\(c1, db, events_local, cityHash64\(event_id\)\)$/);
  assert.ok(
    ddl.every((s) => s.includes(' ON CLUSTER c1')),
    'every statement runs on every node',
  );
  for (const statement of ddl.filter((s) => s.includes('MATERIALIZED VIEW'))) {
    assert.match(statement, /FROM db\.\w+_local/, 'a view reads the rows inserted on its node');
    if (statement.includes('latest_view_mv'))
      assert.match(statement, /TO db\.latest_view AS/, 'latest rows go to the shard of their key');
    else assert.match(statement, /TO db\.\w+_local AS/, 'a mart is written beside the rows it counts');
  }
  assert.match(
    ddl.join('\n'),
    /ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/latest_view_local', '\{replica\}', /,
  );
  assert.match(ddl.join('\n'), /ReplicatedAggregatingMergeTree\('[^']*events_daily_local', '\{replica\}'\)/);
});

test('checked-in generated files are current (npm run generate)', () => {
  const files = generatedFiles(catalog);
  for (const [path, content] of Object.entries(files)) {
    assert.ok(readFileSync(path, 'utf8') === content, `${path} is stale: run npm run generate`);
  }
  const schema = JSON.parse(files['shared/catalog/generated/events.schema.json']!);
  assert.is(Object.keys(schema.$defs).length, eventTypes.length);
  assert.equal(schema.$defs.LoggingIn.properties.login_type.maximum, 2);
  assert.is(schema.$defs.MovieView.properties.user_id['x-clickhouse'], 'UUID');
});

test('an example event of every type, made from the catalog, passes its own validation', () => {
  for (const type of eventTypes) {
    for (const n of [0, 1, 2, 7]) {
      const example = exampleEvent(type, n, Date.UTC(2024, 5, 1, 12));
      const checked = validateEvent(type, example);
      assert.ok(checked.ok, `${type.name} #${n}: ${JSON.stringify(checked)}`);
      // A type with a field of its own called `event` (the Segment table) is reached through /v1/events/{type}.
      if (!('event' in type.fields) || type === catalog.fallback)
        assert.is(catalog.of(example), type, `${type.name} #${n}`);
    }
  }
});

test.run();
