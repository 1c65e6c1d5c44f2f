// The reading app's answers to what it cannot answer, in-process (app.request, no server, no ClickHouse): every
// ReaderError — a bad parameter, an unknown type, a report the catalog cannot feed, a ClickHouse without query
// parameters, a missing or wrong key — becomes its status and JSON body in the one onError.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Catalog } from '../shared/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { readerApp } from './app.ts';

/** A ClickHouse that must never be asked: every answer here comes before a query. */
const clickhouse = (queryParameters: boolean) =>
  ({
    queryParameters,
    version: '18.16.1',
    client: {
      query: () => {
        throw new Error('asked ClickHouse');
      },
    },
  }) as unknown as ClickHouse;
/** A catalog with no types at all. */
const catalog = () => ({ types: [], fallback: undefined, find: () => undefined }) as unknown as Catalog;
const app = readerApp({ clickhouse: clickhouse(true), catalog, readKeys: [], writeKeys: [] });

const get = async (a: typeof app, path: string, headers: Record<string, string> = {}) => {
  const res = await a.request(path, { headers });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
};

test('a bad parameter: 400, each named', async () => {
  const res = await get(app, '/v1/reports/task-funnel?from=2024-06-02&to=2024-06-01&window_seconds=0');
  assert.is(res.status, 400);
  assert.is(res.body.error, 'invalid parameters');
  assert.equal(res.body.issues.map((i: { path: string }) => i.path).sort(), ['to', 'window_seconds']);
  const events = await get(app, '/v1/events?limit=0');
  assert.equal([events.status, events.body.issues[0].path], [400, 'limit']);
});

test('an unknown type: 400 naming type, from the query code', async () => {
  const daily = await get(app, '/v1/reports/daily?type=NoSuch&from=2024-06-01&to=2024-06-01');
  assert.equal(daily.body, {
    error: 'invalid parameters',
    issues: [{ path: 'type', message: 'no event type "NoSuch" in the catalog' }],
  });
  assert.is(daily.status, 400);
  const events = await get(app, '/v1/events');
  assert.equal(
    [events.status, events.body.issues],
    [400, [{ path: 'type', message: 'name a type: the catalog has no fallback type' }]],
  );
});

test('a report the catalog cannot feed: 501 with the reason', async () => {
  for (const name of ['activity', 'solve-ratio', 'task-funnel']) {
    const res = await get(app, `/v1/reports/${name}?from=2024-06-01&to=2024-06-01`);
    assert.is(res.status, 501, name);
    assert.is(res.body.error, 'report unavailable');
    assert.match(res.body.reason, /the catalog has no fallback type/);
  }
});

test('a ClickHouse without query parameters: 501 before the parameters are read', async () => {
  const old = readerApp({ clickhouse: clickhouse(false), catalog, readKeys: [], writeKeys: [] });
  for (const path of ['/v1/events', '/events', '/v1/reports/lag?from=x']) {
    const res = await get(old, path);
    assert.is(res.status, 501, path);
    assert.equal(Object.keys(res.body), ['error', 'reason']);
    assert.match(res.body.reason, /^ClickHouse 18\.16\.1 has no query parameters/);
  }
  assert.is((await get(old, '/v1/reports/nosuch')).status, 404);
});

test('read keys: none 401 with a challenge, an unknown one 401, a write key 403', async () => {
  const keyed = readerApp({ clickhouse: clickhouse(true), catalog, readKeys: ['r-key'], writeKeys: ['w-key'] });
  const none = await get(keyed, '/v1/events');
  assert.equal(
    [none.status, none.body, none.headers.get('www-authenticate')],
    [401, { error: 'a read key is required' }, 'Bearer'],
  );
  const unknown = await get(keyed, '/v1/events', { 'x-read-key': 'nope' });
  assert.equal([unknown.status, unknown.body], [401, { error: 'unknown read key' }]);
  const write = await get(keyed, '/v1/reports/lag', { authorization: 'Bearer w-key' });
  assert.equal([write.status, write.body], [403, { error: 'a write key cannot read; use a read key (READ_KEYS)' }]);
  const read = await get(keyed, '/v1/reports/lag', { authorization: 'Bearer r-key' });
  assert.is(read.status, 400);
});

test.run();
