// The landing checks, run against either ClickHouse engine: every seed example goes in through the
// collector over real HTTP, through real JetStream, and comes out of ClickHouse with the right values.
import * as assert from 'uvu/assert';
import { countReaches, post, postJson, rows, waitFor, type Engine } from './harness.ts';
import { pipelineSuite } from './suites.ts';
import { marketplaceSamples, seedView, TS, TS_ROW } from './fixtures.ts';

/** `cluster`: a ClickHouse cluster (2 shards × 2 replicas of the 18.16 server, CLICKHOUSE_CLUSTER). */
export function landingSuite(engine: Engine | 'cluster') {
  const test = pipelineSuite(
    `landing (${engine})`,
    engine === 'cluster' ? { engine: 'server', clickhouseCluster: true } : { engine },
  );

  test("seed 000's four curl examples land in edge_events.events", async ({ p }) => {
    const url = `${p.url}/events/`;
    const form = (fields: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      return fd;
    };
    const answers = [
      await post(url, form({ dt: '2025-03-01T11:11:11Z', event: 'test', userid: '1' })),
      await post(
        url,
        '{"dt":"2020-01-01T14:16:34Z", "userid": "1", "event": "view", "screen": "main", "elem": "screen"}',
        { 'content-type': 'application/json' },
      ),
      await post(
        url,
        '{"dt":"2020-01-01T14:16:34Z", "userid": "1", "event": "view", "screen": "course", "elem": "screen", ' +
          '"amount": 100}',
        { 'content-type': 'application/json' },
      ),
      await post(
        url,
        form({ dt: '2020-01-01T14:16:34Z', event: 'pay', userid: '1', screen: 'payment', amount: '100' }),
      ),
    ];
    for (const a of answers) assert.is(a.status, 200, a.text);
    const ids = answers.map((a) => a.json.event_id as string);
    assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.events', 4), 4);
    const got = await rows(
      p.sink,
      `SELECT event_id, dt, event, user_id, screen, elem, amount FROM edge_events.events FINAL ORDER BY dt, screen`,
    );
    assert.equal(
      got.map(({ event_id, ...r }) => ({ ...r, amount: Number(r.amount), id: ids.indexOf(event_id as string) })),
      [
        {
          dt: '2020-01-01 14:16:34',
          event: 'view',
          user_id: '1',
          screen: 'course',
          elem: 'screen',
          amount: 100,
          id: 2,
        },
        { dt: '2020-01-01 14:16:34', event: 'view', user_id: '1', screen: 'main', elem: 'screen', amount: 0, id: 1 },
        { dt: '2020-01-01 14:16:34', event: 'pay', user_id: '1', screen: 'payment', elem: '', amount: 100, id: 3 },
        { dt: '2025-03-01 11:11:11', event: 'test', user_id: '1', screen: '', elem: '', amount: 0, id: 0 },
      ],
    );
  });

  test("seed 004's view lands in movie_views and latest_view keeps the last offset", async ({ p }) => {
    const first = await postJson(`${p.url}/v1/producer/views`, seedView);
    assert.is(first.status, 201);
    assert.equal(first.json, { message: 'acknowledged', status: 'success' });
    const later = await postJson(`${p.url}/v1/producer/views`, {
      ...seedView,
      movie_time_offset: 130000,
      created_at: '2022-02-03 12:05:00',
    });
    assert.is(later.status, 201);
    assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.movie_views', 2), 2);
    // The view's part commits just after the table's: wait for the view's own answer.
    const query =
      'SELECT toString(user_id) AS user_id, toString(movie_id) AS movie_id, movie_time_offset, created_at ' +
      'FROM edge_events.latest_view FINAL';
    const expected = [
      {
        user_id: seedView.user_id,
        movie_id: seedView.movie_id,
        movie_time_offset: 130000,
        created_at: '2022-02-03 12:05:00',
      },
    ];
    let latest: Record<string, unknown>[] = [];
    await waitFor('latest_view to show the later offset', async () => {
      latest = (await rows(p.sink, query)).map((r) => ({ ...r, movie_time_offset: Number(r.movie_time_offset) }));
      return latest.length === 1 && latest[0]!.movie_time_offset === 130000 ? true : undefined;
    }).catch(() => undefined);
    assert.equal(latest, expected);
  });

  test('one event of each seed 003 type lands in its own table with its values', async ({ p }) => {
    const batch = marketplaceSamples.map((s, i) => ({ event: s.name, timestamp: TS, user_id: 100 + i, ...s.fields }));
    const res = await postJson(`${p.url}/v1/events`, batch);
    assert.is(res.status, 202, res.text);
    assert.is(res.json.accepted, marketplaceSamples.length);
    for (const [i, s] of marketplaceSamples.entries()) {
      assert.is(await countReaches(p.sink, `SELECT count() AS n FROM edge_events.${s.table}`, 1), 1, s.table);
      const [row] = await rows(p.sink, `SELECT * FROM edge_events.${s.table}`);
      assert.ok(row, s.table);
      assert.is(row!.timestamp, TS_ROW, `${s.table}.timestamp`);
      assert.is(Number(row!.user_id), 100 + i, `${s.table}.user_id`);
      assert.is(row!.event_id, res.json.results[i].event_id, `${s.table}.event_id`);
      for (const [field, value] of Object.entries(s.fields)) {
        const got = row![field];
        assert.equal(typeof value === 'number' ? Number(got) : got, value, `${s.table}.${field}`);
      }
    }
  });

  test('a playback event lands in table playback; snake_case type in the path works', async ({ p }) => {
    const res = await postJson(`${p.url}/v1/events/playback`, {
      user_id: 'u-1',
      content_id: 'film-9',
      action: 'seek',
      position_seconds: 61.5,
      client_time: '2024-05-06T10:08:09+03:00',
    });
    assert.is(res.status, 202, res.text);
    assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.playback', 1), 1);
    const [row] = await rows(
      p.sink,
      'SELECT user_id, content_id, session_id, action, position_seconds, client_time FROM edge_events.playback',
    );
    assert.equal(row, {
      user_id: 'u-1',
      content_id: 'film-9',
      session_id: '',
      action: 'seek',
      position_seconds: 61.5,
      client_time: TS_ROW,
    });
  });

  test('the same event_id sent twice is one row in query results', async ({ p }) => {
    const event = { event_id: 'client-retry-1', dt: TS, event: 'retry', user_id: 'u' };
    assert.is((await postJson(`${p.url}/v1/events`, event)).status, 202);
    assert.is((await postJson(`${p.url}/v1/events`, event)).status, 202);
    await countReaches(p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'retry'", 1);
    const [row] = await rows<{ n: string }>(
      p.sink,
      "SELECT count() AS n FROM edge_events.events FINAL WHERE event_id = 'client-retry-1'",
    );
    assert.is(Number(row!.n), 1);
  });

  return test;
}
