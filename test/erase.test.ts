// Erasure (issue #23, GDPR art. 17): eraseUser removes a person's rows from every event table, the latest-row table
// and the marts, on the embedded engine, the 18.16 server and a 2-shard replicated cluster. Each run fills two
// databases from the shipped catalog: one with everyone, then four people erased from it, and a twin that never had
// them. After the erasures the two must be the same — every other row, every mart's numbers, every report — which
// fails both for an erasure that was skipped and for one that took too much. A second erasure changes nothing.
import * as v from 'valibot';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reports } from '../reader/mod.ts';
import { connectClickHouse, eraseUser, migrate, sqlString, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { columnsOf, qualified, type Dialect } from '../shared/schema/mod.ts';
import { askNode, defaultCatalog, startServices, type Engine } from './support/mod.ts';

const UUID_A = '0c9b1f6e-3a7d-4e1a-9f00-00000000000a';
const UUID_B = '0c9b1f6e-3a7d-4e1a-9f00-00000000000b';
const UUID_C = '0c9b1f6e-3a7d-4e1a-9f00-00000000000c';
const HOSTILE = "o'brien\\\n'; DROP TABLE x; --";
/** The people erased: one with generic events, one with page visits (an Int user_id), one with movie views (a UUID),
 *  and one whose id tries to break out of its quotes. Each also has generic events. */
const ERASED = ['u-2', '2', UUID_A, HOSTILE];
/** Ids that look like the erased ones and stay. */
const KEPT = ['u-1', 'u-20', 'U-2', 'u-2 ', '12', UUID_B, "o'brien", "o'brien\\"];

const DAYS = ['2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04'];
type Row = Record<string, string | number>;
const day = (row: Row, time: string) => String(row[time]).slice(0, 10);

/** Generic events of every person, 1–2 a day, on four days ('u-2' not on the last), with varied enrichment. */
const events: Row[] = [...ERASED, ...KEPT].flatMap((user, u) =>
  DAYS.flatMap((d, i) =>
    user === 'u-2' && i === 3
      ? []
      : Array.from({ length: 1 + ((u + i) % 2) }, (_, k) => ({
          event_id: `g-${u}-${i}-${k}`,
          dt: `${d} ${10 + k}:0${u % 10}:00`,
          event: k ? 'click' : 'view',
          user_id: user,
          amount: k,
          is_bot: (u + i) % 5 === 0 ? 1 : 0,
          country: ['DE', 'FR', 'US'][(u + k) % 3]!,
          device_type: ['desktop', 'mobile'][u % 2]!,
          browser: ['Chrome', 'Firefox'][(u + i) % 2]!,
          os: ['Linux', 'iOS'][i % 2]!,
          received_at: `${d} ${10 + k}:0${u % 10}:01`,
          catalog_version: 0,
        })),
  ),
);
/** Page visits of users 1, 2, 12, 20 and 22 on three days (user 2 not on the second). */
const pageVisits: Row[] = [1, 2, 12, 20, 22].flatMap((user, u) =>
  DAYS.slice(0, 3).flatMap((d, i) =>
    user === 2 && i === 1
      ? []
      : [
          {
            event_id: `p-${u}-${i}`,
            timestamp: `${d} 12:00:00`,
            user_id: user,
            page_id: 100 + u + i,
            is_bot: u === 4 ? 1 : 0,
            country: ['DE', 'FR'][u % 2]!,
            received_at: `${d} 12:00:01`,
            catalog_version: 0,
          },
        ],
  ),
);
/** Movie views: three users, two movies, several offsets each (latest_view keeps the last per user and movie). */
const MOVIES = ['5d0c8a3e-0000-4000-8000-000000000001', '5d0c8a3e-0000-4000-8000-000000000002'];
const movieViews: Row[] = [UUID_A, UUID_B, UUID_C].flatMap((user, u) =>
  MOVIES.flatMap((movie, m) =>
    [0, 1, 2].map((n) => ({
      event_id: `m-${u}-${m}-${n}`,
      user_id: user,
      movie_id: movie,
      movie_time_offset: 60 * (n + 1) + u,
      created_at: `${DAYS[(u + n) % 2]} 20:0${n}:00`,
      received_at: `${DAYS[(u + n) % 2]} 20:0${n}:01`,
      catalog_version: 0,
    })),
  ),
);
/** Each table: its rows, its time field, the marts built from it (besides `<table>_active_days`). */
const TABLES = [
  { table: 'events', rows: events, time: 'dt', marts: ['events_daily', 'events_audience', 'events_day_rows'] },
  {
    table: 'page_visit',
    rows: pageVisits,
    time: 'timestamp',
    marts: ['page_visit_daily', 'page_visit_audience', 'page_visit_day_rows'],
  },
  { table: 'movie_views', rows: movieViews, time: 'created_at', marts: ['movie_views_daily', 'movie_views_day_rows'] },
];
const of = (rows: Row[], ids: string[]) => rows.filter((r) => ids.includes(String(r.user_id)));
const without = (rows: Row[], ids: string[]) => rows.filter((r) => !ids.includes(String(r.user_id)));

/** What erasing `id` returns, its zeros left out: its rows and the days they touch, per table and mart. */
function expectedOf(id: string, latestRows: number, userDaysRows: number) {
  const rows: Record<string, number> = {};
  const days: Record<string, number> = {};
  for (const t of TABLES) {
    const mine = of(t.rows, [id]);
    if (mine.length === 0) continue;
    rows[t.table] = mine.length;
    for (const mart of t.marts) days[mart] = new Set(mine.map((r) => day(r, t.time))).size;
  }
  if (latestRows) rows.latest_view = latestRows;
  if (userDaysRows) rows.events_active_days = userDaysRows;
  return { rows, days };
}
const nonZero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n));

const select = async <T = Row>(ch: ClickHouse, query: string) =>
  (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
/** The rows of `table` (read FINAL with `final`) where `where` holds. */
async function count(ch: ClickHouse, table: string, where: string, final = false): Promise<number> {
  const from = `${qualified(ch.database, table)}${final ? ' FINAL' : ''}`;
  return Number((await select<{ n: string }>(ch, `SELECT count() AS n FROM ${from} ${where}`))[0]!.n);
}
const ofErased = `WHERE toString(user_id) IN (${ERASED.map(sqlString).join(', ')})`;

/** Everything an erasure may change, as numbers and rows: the tables' rows (raw and FINAL, without inserted_at, the
 *  one column that differs between the twins), latest_view, and each mart's merged numbers. */
async function snapshot(ch: ClickHouse): Promise<Record<string, unknown>> {
  const catalog = defaultCatalog();
  const out: Record<string, unknown> = {};
  const at = (table: string) => qualified(ch.database, table);
  for (const { table } of TABLES) {
    const type = catalog.types.find((t) => t.table === table)!;
    const columns = columnsOf(type, ch.dialect)
      .map(([c]) => c)
      .filter((c) => c !== 'inserted_at')
      .join(', ');
    out[table] = await select(ch, `SELECT ${columns} FROM ${at(table)} FINAL ORDER BY event_id`);
    out[`${table} raw`] = await select(ch, `SELECT DISTINCT ${columns} FROM ${at(table)} ORDER BY event_id`);
    out[`${table}_daily`] = await select(
      ch,
      `SELECT toString(day) AS day, uniqMerge(events) AS events, uniqMerge(users) AS users ` +
        `FROM ${at(`${table}_daily`)} GROUP BY day ORDER BY day`,
    );
  }
  const cuts = 'day, is_bot, country, device_type, browser, os';
  for (const table of ['events_audience', 'page_visit_audience'])
    out[table] = await select(
      ch,
      `SELECT toString(day) AS day, is_bot, country, device_type, browser, os, uniqMerge(events) AS events, ` +
        `uniqMerge(users) AS users FROM ${at(table)} GROUP BY ${cuts} ORDER BY ${cuts}`,
    );
  out.latest_view = await select(
    ch,
    `SELECT toString(user_id) AS user_id, toString(movie_id) AS movie_id, movie_time_offset, created_at ` +
      `FROM ${at('latest_view')} FINAL ORDER BY user_id, movie_id`,
  );
  if (ch.dialect.bitmaps)
    out.events_active_days = await select(
      ch,
      `SELECT user_id, is_bot, country, device_type, arraySort(bitmapToArray(groupBitmapMergeState(days))) AS active ` +
        `FROM ${at('events_active_days')} GROUP BY user_id, is_bot, country, device_type ` +
        `ORDER BY user_id, is_bot, country, device_type`,
    );
  return out;
}

/** The `<table>_day_rows` versions: table → day → rows. */
async function versions(ch: ClickHouse): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { table } of TABLES) {
    const rows = await select<{ day: string; rows: string }>(
      ch,
      `SELECT toString(day) AS day, sum(rows) AS rows FROM ${qualified(ch.database, `${table}_day_rows`)} GROUP BY day`,
    );
    out[table] = Object.fromEntries(rows.map((r) => [r.day, Number(r.rows)]));
  }
  return out;
}

/** Every report the marts and tables of this test feed, through the reader's own code (its day cache included). */
async function runReports(ch: ClickHouse): Promise<Record<string, unknown>> {
  const catalog = defaultCatalog();
  const range = { from: DAYS[0]!, to: '2024-06-05' };
  const asks: [string, Record<string, string>][] = [['activity', range]];
  for (const type of ['Generic', 'PageVisit', 'MovieView'])
    for (const bots of ['include', 'exclude']) asks.push(['daily', { ...range, type, bots }]);
  for (const type of ['Generic', 'PageVisit'])
    for (const by of ['country', 'device_type', 'browser', 'os'])
      for (const bots of ['include', 'exclude']) asks.push(['audience', { ...range, type, by, bots }]);
  for (const type of ['Generic', 'PageVisit', 'MovieView']) asks.push(['sessions', { ...range, type }]);
  const out: Record<string, unknown> = {};
  for (const [name, params] of asks) {
    const report = reports.find((r) => r.name === name)!;
    out[`${name} ${JSON.stringify(params)}`] = await report.run(ch, catalog, v.parse(report.params, params));
  }
  return out;
}

/**
 * The whole scenario on one connection: the twin databases, the erasures and every check. `nodes`: on a cluster,
 * each node's URL, to look at every replica's local tables too. `withReports`: the reader's reports (they need query
 * parameters, which 18.16 lacks).
 */
async function scenario(ch: ClickHouse, o: { nodes?: string[]; withReports?: boolean } = {}): Promise<void> {
  const catalog = defaultCatalog();
  const twin: ClickHouse = { ...ch, database: 'erasure_twin' };
  await migrate(ch, catalog);
  await migrate(twin, catalog);
  for (const [db, ids] of [
    [ch, []],
    [twin, ERASED],
  ] as const)
    for (const t of TABLES)
      await db.client.insert({
        table: qualified(db.database, t.table),
        values: without(t.rows, [...ids]),
        format: 'JSONEachRow',
        clickhouse_settings: db.insertSettings,
      });

  // Every hostile value is read back as it was written.
  const literals = ['', ...ERASED, ...KEPT, '\\', "\\'", "''", 'a\r\tb\0c', '{id:String}', '?', 'ü€😀'];
  const [echo] = await select(ch, `SELECT ${literals.map((s, i) => `${sqlString(s)} AS v${i}`).join(', ')}`);
  assert.equal(Object.values(echo!), literals, 'sqlString round trip');

  const reportsBefore = o.withReports ? await runReports(ch) : {};
  const versionsBefore = await versions(ch);
  for (const id of ERASED) {
    const person = `WHERE toString(user_id) = ${sqlString(id)}`;
    const latest = await count(ch, 'latest_view', person);
    const userDays = ch.dialect.bitmaps ? await count(ch, 'events_active_days', `WHERE user_id = ${sqlString(id)}`) : 0;
    const started = Date.now();
    const erased = await eraseUser(ch, catalog, id);
    console.log(
      `${ch.engine}${ch.dialect.cluster ? ' cluster' : ''}: erased ${JSON.stringify(id)} in`,
      Date.now() - started,
      'ms',
    );
    assert.equal({ rows: nonZero(erased.rows), days: nonZero(erased.days) }, expectedOf(id, latest, userDays), id);
    assert.is(erased.rows.searching, 0, 'every table with a user_id is looked at');
    assert.is(erased.days.searching_daily, 0, 'and every mart of one');
  }

  // None of the erased rows is left, read FINAL or raw, through the tables or on any replica.
  for (const table of [...TABLES.map((t) => t.table), 'latest_view']) {
    assert.is(await count(ch, table, ofErased), 0, table);
    assert.is(await count(ch, table, ofErased, true), 0, `${table} FINAL`);
    for (const url of o.nodes ?? []) {
      const where = ofErased.replace('WHERE ', '');
      const left = await askNode(url, `SELECT count() FROM ${ch.database}.${table}_local WHERE ${where}`);
      assert.is(left, '0', `${table}_local at ${url}`);
    }
  }
  // The same as if they had never been there.
  assert.equal(await snapshot(ch), await snapshot(twin));
  if (o.withReports) {
    const after = await runReports(ch);
    assert.equal(after, await runReports(twin), 'every report, the day cache of the erased database included');
    assert.not.equal(after, reportsBefore, 'the reports changed');
  }
  // The day versions only grew: by the rows taken out, on the days they were taken out of.
  const twinVersions = await versions(twin);
  const plus = (times: number) =>
    Object.fromEntries(
      TABLES.map((t) => {
        const v = { ...twinVersions[t.table] };
        for (const r of of(t.rows, ERASED)) v[day(r, t.time)] = (v[day(r, t.time)] ?? 0) + times;
        return [t.table, v];
      }),
    );
  assert.equal(versionsBefore, plus(1), 'before: the twin plus the erased rows');
  assert.equal(await versions(ch), plus(2), 'after: raised by the rows taken out');

  // Again, and for someone with no rows: zeros, and nothing changes.
  const settled = [await snapshot(ch), await versions(ch)];
  for (const id of [...ERASED, 'nobody']) {
    const again = await eraseUser(ch, catalog, id);
    assert.equal([nonZero(again.rows), nonZero(again.days)], [{}, {}], `again: ${id}`);
    assert.ok(Object.keys(again.rows).length >= TABLES.length);
  }
  assert.equal([await snapshot(ch), await versions(ch)], settled, 'a second erasure changes nothing');
}

/** Runs `use` on a fresh engine (on a cluster: the 2×2 18.16 cluster) against database `erasure`; stops it all. */
async function on(engine: Engine | 'cluster', use: (ch: ClickHouse, nodes?: string[]) => Promise<void>) {
  const started = Date.now();
  const services = await startServices(engine === 'cluster' ? 'server' : engine, {
    clickhouseCluster: engine === 'cluster',
  });
  const cfg = services.config({ CLICKHOUSE_DATABASE: 'erasure' });
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  try {
    await use(
      ch,
      services.clickhouseCluster?.nodes.map((n) => n.url),
    );
  } finally {
    await ch.close();
    await services.cleanup();
    console.log(`${engine}: ${Date.now() - started} ms in all`);
  }
}

test('sqlString: quotes, backslashes and control characters are escaped, nothing else', () => {
  assert.is(sqlString("o'brien"), "'o\\'brien'");
  assert.is(sqlString('a\\b'), "'a\\\\b'");
  assert.is(sqlString("\\'; DROP TABLE x; --"), "'\\\\\\'; DROP TABLE x; --'");
  assert.is(sqlString('l1\nl2\r\t\0'), "'l1\\nl2\\r\\t\\0'");
  assert.is(sqlString('ü€ "`{x}`"'), '\'ü€ "`{x}`"\'');
});

test('the embedded engine: the erased people are gone everywhere, as if never there', () =>
  on('embedded', (ch) => scenario(ch, { withReports: true })));

test('the 18.16 server: the same, its mutations waited for in system.mutations', () =>
  on('server', (ch) => scenario(ch)));

test('a 2-shard replicated 18.16 cluster: the same, on every replica', () =>
  on('cluster', (ch, nodes) => scenario(ch, { nodes })));

test.run();
