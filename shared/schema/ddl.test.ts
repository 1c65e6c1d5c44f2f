// The DDL made from the shipped catalog, for one server and for a cluster: tables dedupe on event_id, partition by
// month, and on a cluster sit replicated behind Distributed tables sharded by event_id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../node/mod.ts';
import { catalogDdl, columnsOf, legacyDialect, modernDialect, tableDdl } from './ddl.ts';

const catalog = loadCatalogFiles('catalog');
const eventTypes = catalog.types;
const generic = catalog.fallback!;
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
    // What its enrich: adds (user agent, bots, geo), after the fields a client sends.
    'browser',
    'browser_version',
    'os',
    'device_type',
    'is_bot',
    'country',
    'region',
    'city',
    'received_at',
    'catalog_version',
    'inserted_at',
  ]);
  assert.equal(
    columnsOf(generic, modernDialect).filter(([n]) => ['is_bot', 'country'].includes(n)),
    [
      ['is_bot', 'UInt8'],
      ['country', 'LowCardinality(String)'],
    ],
  );
  const old = catalogDdl(catalog, 'db', legacyDialect).join('\n');
  assert.not.match(old, /LowCardinality|DateTime64|groupBitmap/);
  assert.match(catalogDdl(catalog, 'db').join('\n'), /groupBitmapState/);
  assert.match(
    catalogDdl(catalog, 'db').join('\n'),
    /MATERIALIZED VIEW IF NOT EXISTS `db`\.`latest_view_mv` TO `db`\.`latest_view`/,
  );
});

test('DDL on a cluster: replicated local tables, Distributed tables sharded by event_id, views between locals', () => {
  const dialect = { ...modernDialect, cluster: 'c1' };
  const ddl = catalogDdl(catalog, 'db', dialect);
  const events = ddl.filter((s) => /^CREATE TABLE IF NOT EXISTS `db`\.`events(_local)?` /.test(s));
  assert.is(events.length, 2);
  assert.match(
    events[0]!,
    /^CREATE TABLE IF NOT EXISTS `db`\.`events_local` ON CLUSTER `c1` \(/,
    'the rows are stored in a local table on every node',
  );
  assert.match(
    events[0]!,
    /ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/events_local', '\{replica\}'\)/,
  );
  assert.not.match(events[0]!, /non_replicated_deduplication_window/, 'replicated tables have their own window');
  assert.match(events[1]!, /ENGINE = Distributed\(`c1`, `db`, `events_local`, cityHash64\(event_id\)\)$/);
  assert.ok(
    ddl.every((s) => s.includes(' ON CLUSTER `c1`')),
    'every statement runs on every node',
  );
  for (const statement of ddl.filter((s) => s.includes('MATERIALIZED VIEW'))) {
    assert.match(statement, /FROM `db`\.`\w+_local`/, 'a view reads the rows inserted on its node');
    if (statement.includes('latest_view_mv'))
      assert.match(statement, /TO `db`\.`latest_view` AS/, 'latest rows go to the shard of their key');
    else assert.match(statement, /TO `db`\.`\w+_local` AS/, 'a mart is written beside the rows it counts');
  }
  assert.match(
    ddl.join('\n'),
    /ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/latest_view_local', '\{replica\}', /,
  );
  assert.match(ddl.join('\n'), /ReplicatedAggregatingMergeTree\('[^']*events_daily_local', '\{replica\}'\)/);
});

test('every name in the DDL is a checked identifier in backticks: a name that is not one is refused', () => {
  const ddl = catalogDdl(catalog, 'db', { ...modernDialect, cluster: 'c1' }).join('\n');
  // Outside string literals, a name is either a quoted identifier or one of the fixed words the DDL is written with.
  const bare = ddl.replace(/'[^']*'/g, "''").replace(/`[A-Za-z_][A-Za-z0-9_]*`/g, 'NAME');
  assert.not.match(bare, /`/, 'no backtick outside a quoted identifier');
  const type = catalog.types.find((t) => t.latest)!;
  const poisoned = [
    { ...type, table: 'x; DROP TABLE events' },
    { ...type, timeField: 'a`b' },
    { ...type, orderBy: ['dt) DROP', 'event_id'] },
    { ...type, fields: { ...type.fields, 'a` String, b': type.fields[type.timeField]! } },
    { ...type, latest: { ...type.latest!, version: "v', 'x" } },
    { ...type, latest: { ...type.latest!, table: '../x' } },
  ];
  for (const bad of poisoned) {
    const one = { ...catalog, types: [bad], fallback: undefined };
    assert.throws(() => catalogDdl(one, 'db', modernDialect), /not a plain SQL identifier/);
  }
  assert.throws(() => catalogDdl(catalog, 'db; DROP DATABASE x'), /not a plain SQL identifier/);
  assert.throws(() => catalogDdl(catalog, 'db', { ...modernDialect, cluster: 'c`' }), /not a plain SQL identifier/);
});

test.run();
