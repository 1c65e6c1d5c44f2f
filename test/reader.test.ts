// The reading API against real ClickHouse, events sent through the real pipeline: GET /v1/events pages newest first
// without gaps or repeats (a re-sent event is one row), filters by time, user and event name, names every bad
// parameter, and honours read keys (a write key cannot read). On 18.16, which has no query parameters, it answers
// 501 saying why rather than splice a client's value into SQL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import * as assert from 'uvu/assert';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { migrate } from '../shared/clickhouse/mod.ts';
import { countReaches, pipelineSuite, postJson, rows, servicesSuite, startPipeline } from './support/mod.ts';

const test = pipelineSuite<{ reader: RunningReader; url: string }>('reader (embedded)', {
  engine: 'embedded',
  stop: (ctx) => ctx.reader?.stop(),
});
test.before(async (ctx) => {
  ctx.reader = await startReader(ctx.services.config(), { clickhouse: ctx.p.sink.clickhouse });
  ctx.url = `http://127.0.0.1:${ctx.reader.port}`;
  // 25 events an hour apart on 2024-06-01/02, users u0–u2, two event names; one of them sent twice.
  const events = Array.from({ length: 25 }, (_, i) => ({
    event_id: `r-${String(i).padStart(2, '0')}`,
    dt: new Date(Date.UTC(2024, 5, 1, i)).toISOString(),
    event: i % 5 === 0 ? 'pay' : 'view',
    user_id: `u${i % 3}`,
  }));
  assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);
  assert.is((await postJson(`${ctx.p.url}/v1/events`, events[7])).status, 202);
  await countReaches(ctx.p.sink, 'SELECT count() AS n FROM edge_events.events', 26);
});

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, json: (await res.json()) as any };
};

test('pages newest first, no gaps, no repeats; a re-sent event is one row', async ({ url }) => {
  const ids: string[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const page = await get(`${url}/v1/events?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
    assert.is(page.status, 200, JSON.stringify(page.json));
    ids.push(...page.json.rows.map((r: { event_id: string }) => r.event_id));
    cursor = page.json.next_cursor;
    pages++;
  }
  assert.is(pages, 3);
  assert.equal(
    ids,
    Array.from({ length: 25 }, (_, i) => `r-${String(24 - i).padStart(2, '0')}`),
  );
  const seed = await get(`${url}/events?limit=1`);
  assert.equal(seed.json.rows[0].event_id, 'r-24', "seed 002's GET /events answers the same");
  // The fields a client sends, what the pipeline stamps, and what the type's enrich: adds.
  assert.equal(Object.keys(seed.json.rows[0]).sort(), [
    'amount',
    'browser',
    'browser_version',
    'catalog_version',
    'city',
    'country',
    'device_type',
    'dt',
    'elem',
    'event',
    'event_id',
    'inserted_at',
    'is_bot',
    'os',
    'received_at',
    'region',
    'screen',
    'user_id',
  ]);
});

test('filters: from/to inclusive dates, user_id, event', async ({ url }) => {
  const day2 = await get(`${url}/v1/events?from=2024-06-02&to=2024-06-02&limit=1000`);
  assert.equal(day2.json.rows.length, 1, 'hour 24 is on June 2');
  const day1 = await get(`${url}/v1/events?to=2024-06-01&limit=1000`);
  assert.is(day1.json.rows.length, 24);
  const u1 = await get(`${url}/v1/events?user_id=u1&event=view&limit=1000`);
  const expected = Array.from({ length: 25 }, (_, i) => i)
    .filter((i) => i % 3 === 1 && i % 5 !== 0)
    .reverse();
  assert.equal(
    u1.json.rows.map((r: { event_id: string }) => Number(r.event_id.slice(2))),
    expected,
  );
});

test('bad parameters: 400 naming each', async ({ url }) => {
  const bad = await get(`${url}/v1/events?limit=5000&from=2024-13-01&cursor=nope`);
  assert.is(bad.status, 400);
  assert.equal(bad.json.issues.map((i: { path: string }) => i.path).sort(), ['cursor', 'from', 'limit']);
  const order = await get(`${url}/v1/events?from=2024-06-02&to=2024-06-01`);
  assert.equal(
    order.json.issues.map((i: { path: string }) => i.path),
    ['to'],
  );
  const type = await get(`${url}/v1/events?type=NoSuch`);
  assert.equal([type.status, type.json.issues[0].path], [400, 'type']);
  const typed = await get(`${url}/v1/events?type=PageVisit`);
  assert.equal([typed.status, typed.json.rows], [200, []]);
});

test('activity: DAU/WAU/MAU per day match an independent count, zeros on empty days; backfilled marts', async (ctx) => {
  // 60 days of 2023, some with no one, users a0–a39 chosen by a fixed rule.
  const day0 = Date.UTC(2023, 0, 1);
  const sent: { day: string; user: string }[] = [];
  const events = [];
  for (let d = 0; d < 60; d++) {
    for (let j = 0; j < (d * 7) % 5; j++) {
      const user = `a${(d * 13 + j * 7) % 40}`;
      const day = new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
      sent.push({ day, user });
      events.push({
        event_id: `act-${d}-${j}`,
        dt: `${day}T10:${String(j).padStart(2, '0')}:00Z`,
        event: 'act',
        user_id: user,
      });
    }
  }
  assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);
  await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'act'", events.length);
  const distinct = (from: number, to: number) =>
    new Set(sent.filter((e) => e.day >= iso(from) && e.day <= iso(to)).map((e) => e.user)).size;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const expected = () => {
    const out = [];
    for (let t = Date.UTC(2022, 11, 25); t <= Date.UTC(2023, 2, 10); t += 86_400_000) {
      out.push({
        date: iso(t),
        dau: distinct(t, t),
        wau: distinct(t - 6 * 86_400_000, t),
        mau: distinct(t - 29 * 86_400_000, t),
      });
    }
    return out;
  };
  const range = `${ctx.url}/v1/reports/activity?from=2022-12-25&to=2023-03-10`;
  const report = await get(range);
  assert.is(report.status, 200, JSON.stringify(report.json));
  assert.equal(report.json.rows, expected());
  assert.ok(expected().some((r) => r.dau === 0) && expected().some((r) => r.mau === 0), 'the range has empty days');

  // The mart dropped and migrated again: backfilled from the stored rows; the mart an earlier version kept instead
  // (one bitmap per user, no cuts) is dropped with its view. Then a late event for a past day: the dates whose 30 days
  // include it are computed again (from the backfilled mart), the others come from the day cache.
  const ch = ctx.p.sink.clickhouse;
  await ch.client.command({ query: 'DROP TABLE edge_events.events_active_days_mv' });
  await ch.client.command({ query: 'DROP TABLE edge_events.events_active_days' });
  await ch.client.command({
    query:
      'CREATE TABLE edge_events.events_user_days (user_id String, days AggregateFunction(groupBitmap, UInt32)) ' +
      'ENGINE = AggregatingMergeTree() ORDER BY user_id',
  });
  await ch.client.command({
    query:
      'CREATE MATERIALIZED VIEW edge_events.events_user_days_mv TO edge_events.events_user_days AS SELECT ' +
      'toString(user_id) AS user_id, groupBitmapState(toUInt32(toDate(dt))) AS days ' +
      'FROM edge_events.events GROUP BY user_id',
  });
  await migrate(ch, ctx.p.sink.catalog());
  const left = await rows<{ name: string }>(
    ctx.p.sink,
    "SELECT name FROM system.tables WHERE database = 'edge_events' AND name LIKE 'events\\_%days%' ORDER BY name",
  );
  assert.equal(
    left.map((t) => t.name),
    ['events_active_days', 'events_active_days_mv'],
  );
  const late = { event_id: 'act-late', dt: '2023-01-20T23:59:59Z', event: 'act', user_id: 'late-user' };
  assert.is((await postJson(`${ctx.p.url}/v1/events`, late)).status, 202);
  sent.push({ day: '2023-01-20', user: 'late-user' });
  await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'act'", sent.length);
  const again = await get(range);
  assert.equal(again.json.rows, expected());
  assert.not.equal(again.json.rows, report.json.rows);

  // One user's days written newest first, each in its own insert: the mart's small bitmap for them holds the days in
  // that order, and the report must not depend on it.
  for (const [i, day] of ['2023-02-20', '2023-02-09', '2023-01-28'].entries()) {
    const event = { event_id: `act-reverse-${i}`, dt: `${day}T12:00:00Z`, event: 'act', user_id: 'reverse-user' };
    assert.is((await postJson(`${ctx.p.url}/v1/events`, event)).status, 202);
    sent.push({ day, user: 'reverse-user' });
    await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'act'", sent.length);
  }
  assert.equal((await get(range)).json.rows, expected());
  const bad = await get(`${ctx.url}/v1/reports/activity?from=2023-01-20`);
  assert.equal([bad.status, bad.json.issues.map((i: { path: string }) => i.path)], [400, ['to']]);
});

test('lag: per minute of insert, p50/p99 of inserted_at - received_at; every stored row counted once', async (ctx) => {
  const today = new Date().toISOString().slice(0, 10);
  const res = await get(`${ctx.url}/v1/reports/lag?from=${today}&to=${today}`);
  assert.is(res.status, 200, JSON.stringify(res.json));
  const [stored] = await rows<{ n: string }>(ctx.p.sink, 'SELECT count() AS n FROM edge_events.events');
  const rowsOf = res.json.rows as { minute: string; events: number; p50_seconds: number; p99_seconds: number }[];
  assert.is(
    rowsOf.reduce((n, r) => n + r.events, 0),
    Number(stored!.n),
  );
  for (const r of rowsOf) {
    assert.match(r.minute, new RegExp(`^${today} \\d{2}:\\d{2}:00$`));
    assert.ok(r.p50_seconds >= 0 && r.p99_seconds >= r.p50_seconds && r.p99_seconds < 60, JSON.stringify(r));
  }
});

test('daily: events and users per day of one type from its mart; a re-sent event counts once', async ({ url }) => {
  const res = await get(`${url}/v1/reports/daily?type=generic&from=2024-06-01&to=2024-06-03`);
  assert.is(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.rows, [
    { date: '2024-06-01', events: 24, users: 3 },
    { date: '2024-06-02', events: 1, users: 1 },
    { date: '2024-06-03', events: 0, users: 0 },
  ]);
  const none = await get(`${url}/v1/reports/daily?type=PageVisit&from=2024-06-01&to=2024-06-01`);
  assert.equal(none.json.rows, [{ date: '2024-06-01', events: 0, users: 0 }]);
  const bad = await get(`${url}/v1/reports/daily?type=NoSuch&from=2024-06-01&to=2024-06-01`);
  assert.equal([bad.status, bad.json.issues[0].path], [400, 'type']);
});

test('daily: a day that gets rows after it was reported is counted again, not served from the cache', async (ctx) => {
  const july = `${ctx.url}/v1/reports/daily?type=generic&from=2024-07-01&to=2024-07-02`;
  const before = await get(july);
  assert.equal(before.json.rows, [
    { date: '2024-07-01', events: 0, users: 0 },
    { date: '2024-07-02', events: 0, users: 0 },
  ]);
  const july1 = { event_id: 'july-1', dt: '2024-07-01T12:00:00Z', event: 'view', user_id: 'j1' };
  assert.is((await postJson(`${ctx.p.url}/v1/events`, july1)).status, 202);
  await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'july-1'", 1);
  assert.equal((await get(july)).json.rows, [
    { date: '2024-07-01', events: 1, users: 1 },
    { date: '2024-07-02', events: 0, users: 0 },
  ]);
});

test('npm run report prints the same rows as a table', async ({ reader, url }) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'cli/report.ts', 'daily', '--type', 'generic', '--from', '2024-06-01', '--to', '2024-06-03'],
    { env: { ...process.env, READER_PORT: String(reader.port) } },
  );
  const rows = (await get(`${url}/v1/reports/daily?type=generic&from=2024-06-01&to=2024-06-03`)).json.rows;
  const lines = stdout.trim().split('\n');
  assert.match(lines[0]!, /^date\s+events\s+users$/);
  assert.equal(
    lines.slice(2).map((l) => l.trim().split(/\s+/)),
    rows.map((r: { date: string; events: number; users: number }) => [r.date, String(r.events), String(r.users)]),
  );
});

test('solve ratio and task funnel (seed 000) match an independent count', async (ctx) => {
  // Users t0–t7, March and April 2022, days 1–2: views, tasks started, finished within the hour, late, or never.
  type Sent = { user: string; at: number; event: string };
  const sent: Sent[] = [];
  for (let i = 0; i < 8; i++) {
    for (const m of [2, 3]) {
      for (const d of [1, 2]) {
        const t = Date.UTC(2022, m, d, 10);
        const user = `t${i}`;
        sent.push({ user, at: t - 60_000, event: 'view' });
        const kind = (i + d + m) % 4;
        if (kind === 0) continue;
        sent.push({ user, at: t, event: 'start_task' });
        if (i % 3 === 0) sent.push({ user, at: t + 5 * 60_000, event: 'start_task' });
        if (kind === 2) sent.push({ user, at: t + 30 * 60_000, event: 'finish_task' });
        if (kind === 3) sent.push({ user, at: t + 120 * 60_000, event: 'finish_task' });
      }
    }
  }
  const events = sent.map((e, k) => ({
    event_id: `task-${k}`,
    dt: new Date(e.at).toISOString(),
    event: e.event,
    user_id: e.user,
  }));
  assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);
  await countReaches(
    ctx.p.sink,
    "SELECT count() AS n FROM edge_events.events WHERE event_id LIKE 'task-%'",
    events.length,
  );

  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const ratios = new Map<string, number[]>();
  for (const date of new Set(sent.map((e) => day(e.at)))) {
    for (const user of new Set(sent.map((e) => e.user))) {
      const mine = sent.filter((e) => e.user === user && day(e.at) === date);
      const started = mine.filter((e) => e.event === 'start_task').length;
      if (started)
        ratios.set(date, [...(ratios.get(date) ?? []), mine.filter((e) => e.event === 'finish_task').length / started]);
    }
  }
  const expectedRatio = [...ratios]
    .sort()
    .map(([date, r]) => ({ date, solve_ratio: Math.round((r.reduce((a, b) => a + b) / r.length) * 1e6) / 1e6 }));
  const ratio = await get(`${ctx.url}/v1/reports/solve-ratio?from=2022-03-01&to=2022-04-30`);
  assert.is(ratio.status, 200, JSON.stringify(ratio.json));
  assert.equal(ratio.json.rows, expectedRatio);

  const funnel = (month: number) => {
    const levels = [...new Set(sent.map((e) => e.user))].map((user) => {
      const mine = sent.filter((e) => e.user === user && new Date(e.at).getUTCMonth() === month);
      const starts = mine.filter((e) => e.event === 'start_task').map((e) => e.at);
      const finishes = mine.filter((e) => e.event === 'finish_task').map((e) => e.at);
      if (starts.some((s) => finishes.some((f) => f > s && f - s <= 3_600_000))) return 2;
      return starts.length ? 1 : 0;
    });
    const month_ = `2022-${String(month + 1).padStart(2, '0')}-01`;
    const n = (l: number) => levels.filter((x) => x === l).length;
    return { month: month_, total_users: levels.length, not_solved: n(0), tried: n(1), solved: n(2) };
  };
  const got = await get(`${ctx.url}/v1/reports/task-funnel?from=2022-03-01&to=2022-04-30`);
  assert.equal(got.json.rows, [funnel(2), funnel(3)]);
  const bad = await get(`${ctx.url}/v1/reports/task-funnel?from=2022-03-01&to=2022-04-30&window_seconds=0`);
  assert.equal([bad.status, bad.json.issues[0].path], [400, 'window_seconds']);
});

test('sessions (seed 001): cut by inactivity; counts, quantiles, histogram match an independent count', async (ctx) => {
  // Page visits of users 1–5 on 2021-05-03/04: bursts of visits 2–10 minutes apart, separated by gaps over 30 min.
  const times = new Map<number, number[]>();
  let k = 0;
  for (let u = 1; u <= 5; u++) {
    let t = Date.UTC(2021, 4, 3, 8 + u);
    const mine: number[] = [];
    for (let burst = 0; burst < 2 + (u % 3); burst++) {
      for (let v = 0; v < 1 + ((u + burst) % 4); v++) mine.push((t += (2 + ((u * v + burst) % 9)) * 60_000));
      t += (31 + u * 37) * 60_000;
    }
    times.set(u, mine);
  }
  const events = [...times].flatMap(([u, ts]) =>
    ts.map((t) => ({
      event: 'PageVisit',
      event_id: `sess-${k++}`,
      timestamp: new Date(t).toISOString(),
      user_id: u,
      page_id: 1,
    })),
  );
  assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);
  await countReaches(
    ctx.p.sink,
    "SELECT count() AS n FROM edge_events.page_visit WHERE event_id LIKE 'sess-%'",
    events.length,
  );

  const all: { date: string; user: number; duration: number }[] = [];
  for (const [user, ts] of times) {
    let first = ts[0]!;
    let last = ts[0]!;
    for (const t of [...ts.slice(1), Infinity]) {
      if (t - last > 1_800_000) {
        all.push({ date: new Date(first).toISOString().slice(0, 10), user, duration: (last - first) / 1000 });
        first = t;
      }
      last = t;
    }
  }
  const q = (sorted: number[], level: number) => sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))];
  const edges = [0, 60, 300, 900, 1800, 3600];
  const expected = [...new Set(all.map((s) => s.date))].sort().map((date) => {
    const mine = all.filter((s) => s.date === date);
    const d = mine.map((s) => s.duration).sort((a, b) => a - b);
    const histogram = [...edges, null].map((le, i) => ({
      le,
      sessions: d.filter((x) => (le === null ? x > 3600 : x <= le && (i === 0 || x > edges[i - 1]!))).length,
    }));
    return {
      date,
      sessions: mine.length,
      users: new Set(mine.map((s) => s.user)).size,
      avg_seconds: Math.round((d.reduce((a, b) => a + b, 0) / d.length) * 1000) / 1000,
      p50_seconds: q(d, 0.5),
      p90_seconds: q(d, 0.9),
      histogram,
    };
  });
  const got = await get(`${ctx.url}/v1/reports/sessions?type=PageVisit&from=2021-05-01&to=2021-05-31`);
  assert.is(got.status, 200, JSON.stringify(got.json));
  assert.equal(got.json.rows, expected);
  assert.ok(all.length >= 10, `${all.length} sessions`);
});

test('GET /openapi.json: a valid OpenAPI 3.1 document with every route and its parameters', async ({ url }) => {
  const doc = (await get(`${url}/openapi.json`)).json;
  const result = await new Validator().validate(doc);
  assert.ok(result.valid, JSON.stringify(result.errors));
  const params = (path: string) =>
    doc.paths[path].get.parameters.map((p: { name: string; required: boolean }) => `${p.name}${p.required ? '!' : ''}`);
  assert.equal(params('/v1/events'), ['type', 'from', 'to', 'user_id', 'event', 'limit', 'cursor']);
  assert.equal(params('/v1/reports/task-funnel'), ['from!', 'to!', 'window_seconds']);
  for (const r of ['activity', 'daily', 'solve-ratio', 'task-funnel', 'sessions', 'lag'])
    assert.ok(doc.paths[`/v1/reports/${r}`], r);
});

test('read keys: none → 401, a write key → 403, a read key → 200', async ({ services, p }) => {
  const cfg = services.config({
    READ_KEYS: 'read-key-123456',
    COLLECTOR_WRITE_KEYS: JSON.stringify([{ name: 'web', key: 'write-key-123456' }]),
  });
  const reader = await startReader(cfg, { clickhouse: p.sink.clickhouse });
  const url = `http://127.0.0.1:${reader.port}/v1/events?limit=1`;
  try {
    assert.is((await get(url)).status, 401);
    const write = await get(url, { authorization: 'Bearer write-key-123456' });
    assert.equal([write.status, write.json.error], [403, 'a write key cannot read; use a read key (READ_KEYS)']);
    assert.is((await get(url, { authorization: 'Bearer read-key-123456' })).status, 200);
    assert.is((await get(url, { 'x-read-key': 'read-key-123456' })).status, 200);
  } finally {
    await reader.stop();
  }
});

test.run();

const old = servicesSuite<{ reader: RunningReader }>('reader (ClickHouse 18.16)', {
  engine: 'server',
  stop: (ctx) => ctx.reader?.stop(),
});
old.before(async (ctx) => {
  const p = await startPipeline(ctx.services);
  await p.stop();
  ctx.reader = await startReader(ctx.services.config());
});
old('no query parameters: 501 with the reason, nothing spliced into SQL', async ({ reader }) => {
  const res = await get(`http://127.0.0.1:${reader.port}/v1/events?user_id=x'%20OR%201=1`);
  assert.is(res.status, 501);
  assert.match(res.json.reason, /no query parameters/);
});
old.run();
