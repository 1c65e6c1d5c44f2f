// Configuration: defaults for local use, and bad values refused with the variable named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { loadCatalogFiles } from './node/mod.ts';
import { ConfigError, ENV_VARS, loadConfig, typeKeysOf } from './config.ts';

test('defaults need no environment at all', () => {
  const cfg = loadConfig({});
  assert.is(cfg.collector.port, 8080);
  assert.is(cfg.clickhouse.database, 'edge_events');
  assert.is(cfg.clickhouse.url, undefined, 'embedded engine by default');
  assert.is(cfg.nats.url, undefined, 'local nats-server by default');
  assert.is(cfg.collector.bodyLimitBytes, 1024 * 1024);
});

test('every bad variable is named in one error', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      CLICKHOUSE_URL: 'tcp://x',
      CLICKHOUSE_DATABASE: 'drop table',
      SINK_BATCH_WAIT_MS: '10',
      UNRELATED: 'x',
    });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT=', 'CLICKHOUSE_URL=', 'CLICKHOUSE_DATABASE=', 'SINK_BATCH_WAIT_MS='])
      assert.ok(msg.includes(name), `${name} in ${msg}`);
    assert.not.ok(msg.includes('UNRELATED'));
  }
});

test('an ack wait that a fetch could outlast is refused', () => {
  assert.throws(
    () => loadConfig({ SINK_ACK_WAIT_SECONDS: '1' }),
    /SINK_ACK_WAIT_SECONDS="1": must be at least twice SINK_BATCH_WAIT_MS/,
  );
  assert.is(loadConfig({ SINK_ACK_WAIT_SECONDS: '2' }).sink.ackWaitSeconds, 2);
});

test('values are parsed into their types', () => {
  const cfg = loadConfig({
    PORT: '9000',
    NATS_URL: 'nats://a:4222,nats://b:4222',
    CLICKHOUSE_URL: 'http://ch:8123',
    SINK_BATCH_SIZE: '10000',
  });
  assert.is(cfg.collector.port, 9000);
  assert.is(cfg.nats.url, 'nats://a:4222,nats://b:4222');
  assert.is(cfg.sink.batchSize, 10000);
});

test('relays: parsed, their types resolved to catalog keys once the catalog is known, mistakes named', () => {
  const cfg = loadConfig({
    RELAYS:
      '[{"name":"crm","kind":"nats","types":["PageVisit","cart_add"]},' +
      '{"name":"hook","kind":"webhook","url":"http://127.0.0.1:9/x"}]',
  });
  assert.equal(
    cfg.relays.map((r) => [r.name, r.kind, typeKeysOf(r.types, loadCatalogFiles('catalog'), 'RELAYS')]),
    [
      ['crm', 'nats', ['page_visit', 'cart_add']],
      ['hook', 'webhook', undefined],
    ],
  );
  assert.throws(
    () => typeKeysOf(['Nope'], loadCatalogFiles('catalog'), 'RELAYS (x)'),
    /RELAYS \(x\): unknown event type "Nope"/,
  );
  assert.is(cfg.relays[1]!.max_attempts, 8);
  for (const [bad, why] of [
    ['not json', /RELAYS=.*expected JSON/],
    ['[{"name":"x","kind":"nats","types":[]}]', /RELAYS=.* at 0\.types: name at least one type/],
    ['[{"name":"x","kind":"webhook","url":"ftp://h"}]', /at 0\.url/],
    ['[{"name":"x","kind":"nats"},{"name":"x","kind":"nats"}]', /unique/],
  ] as const) {
    assert.throws(() => loadConfig({ RELAYS: bad }), why);
  }
});

test('every variable the processes read is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const missing = ENV_VARS.filter((name) => !readme.includes(`\`${name}\``));
  assert.equal(missing, []);
});

test.run();
