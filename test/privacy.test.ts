// Erasure and suppression (issue #23, section 3) through the whole product on the embedded engine and a folder
// archive: events of four people land in ClickHouse, the archive and the dead letters; an admin asks
// (POST /v1/privacy/deletions) to erase u-2 and stop following them, and u-4 without suppression. Once every place
// has answered, neither is anywhere (hot table FINAL and raw, marts, archive files read back, dead letters) while
// everyone else's rows and counts are as they were; u-2's new events are answered 2xx and dropped, u-4's are kept; an
// event of u-4 received before the request and still in the stream (as a redelivery, a redrive or a replay brings it)
// is not stored again. Read keys and no key are refused.
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { archivedFiles, openStore, readParquet, startArchiver, type RunningArchiver } from '../archive/mod.ts';
import { formatUtc, type Catalog } from '../shared/mod.ts';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { readLetters } from '../streams/mod.ts';
import { countReaches, pipelineSuite, post, rows, waitFor, waitUntilAcked } from './support/mod.ts';

const ADMIN = 'admin-key-0123456789';
const READ = 'read-key-123456';
const archiveDir = mkdtempSync(join(tmpdir(), 'edge-events-privacy-archive-'));
const test = pipelineSuite<{ archiver: RunningArchiver; reader: RunningReader }>('privacy', {
  engine: 'embedded',
  env: { ARCHIVE_URL: archiveDir, ARCHIVE_FLUSH_SECONDS: '1', ADMIN_KEYS: ADMIN, READ_KEYS: READ },
  async stop(ctx) {
    await ctx.reader?.stop();
    await ctx.archiver?.stop();
    rmSync(archiveDir, { recursive: true, force: true });
  },
});

const env = { ARCHIVE_URL: archiveDir, ARCHIVE_FLUSH_SECONDS: '1', ADMIN_KEYS: ADMIN, READ_KEYS: READ };
const event = (user: string, n: number) => ({
  event: 'view',
  dt: `2024-06-0${1 + (n % 3)}T10:00:00Z`,
  user_id: user,
  event_id: `${user}-${n}`,
});
const USERS = ['u-1', 'u-2', 'u-3', 'u-4'];

/** The person's rows in the generic table, FINAL or not. */
const stored = async (p: { sink: Parameters<typeof rows>[0] }, user: string, final = '') =>
  Number(
    (
      await rows<{ n: string }>(
        p.sink,
        `SELECT count() AS n FROM edge_events.events ${final} WHERE user_id = '${user}'`,
      )
    )[0]!.n,
  );

/** Every event id in the archive's files of the generic table. */
async function archivedIds(catalog: Catalog, store: ReturnType<typeof openStore>): Promise<string[]> {
  const type = catalog.find('Generic')!;
  const ids: string[] = [];
  for (const file of await archivedFiles(store, { table: 'events' }))
    for (const row of await readParquet(type, await store.get(file.key))) ids.push(String(row.event_id));
  return ids.sort();
}

test('an erasure request reaches every place; suppression holds; nobody else is touched', async (ctx) => {
  const { p, services } = ctx;
  const cfg = services.config(env);
  ctx.archiver = await startArchiver(cfg);
  const store = openStore(cfg.archive);
  ctx.reader = await startReader(cfg, { clickhouse: p.sink.clickhouse });
  const api = `http://127.0.0.1:${ctx.reader.port}/v1/privacy/deletions`;

  for (const user of USERS)
    for (let n = 0; n < 5; n++) {
      const res = await post(`${p.url}/v1/events`, JSON.stringify(event(user, n)), {
        'content-type': 'application/json',
      });
      assert.is(res.status, 202, res.text);
    }
  // A dead letter of u-2 (a type no catalog knows), and one of u-1.
  const nc = await connect({ servers: services.nats.url });
  const js = jetstream(nc);
  const at = formatUtc(Date.now(), true);
  for (const user of ['u-1', 'u-2'])
    await js.publish('events.no_such_type', JSON.stringify({ user_id: user, received_at: at, event_id: `dl-${user}` }));
  assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.events', 20), 20);
  await waitFor(
    'the archive to hold every event',
    async () => ((await archivedIds(p.sink.catalog(), store)).length >= 20 ? true : undefined),
    30_000,
  );
  const reportBefore = await rows(
    p.sink,
    'SELECT toString(day) AS d, uniqMerge(users) AS u FROM edge_events.events_daily GROUP BY d ORDER BY d',
  );

  // Who may ask: an admin key only.
  const ask = (body: unknown, key?: string) =>
    post(api, JSON.stringify(body), {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    });
  assert.is((await ask({ user_id: 'u-2' })).status, 401);
  assert.is((await ask({ user_id: 'u-2' }, READ)).status, 403);
  assert.is((await ask({ user: 'u-2' }, ADMIN)).status, 400);

  const asked = await ask({ user_id: 'u-2', suppress: true }, ADMIN);
  assert.is(asked.status, 202, asked.text);
  assert.equal([asked.json.status, asked.json.user_id, asked.json.suppress], ['pending', 'u-2', true]);
  const u4 = await ask({ user_id: 'u-4' }, ADMIN);
  assert.is(u4.status, 202);

  const statusOf = async (id: string) =>
    (await fetch(`${api}/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
  const done = await waitFor(
    'both requests to be done',
    async () => {
      const [a, b] = [await statusOf(asked.json.id), await statusOf(u4.json.id)];
      return a.status === 'done' && b.status === 'done' ? a : undefined;
    },
    60_000,
  );
  assert.is(done.places.clickhouse.events, 5, JSON.stringify(done));
  assert.is(done.places.clickhouse.events_active_days, 1, 'their bitmap of active days');
  assert.is(done.places.archive.events, 5);
  assert.is(done.places.dead_letters.events, 1);

  // Nowhere: hot table, FINAL and raw; the marts; the archive; the dead letters.
  for (const user of ['u-2', 'u-4']) {
    assert.is(await stored(p, user), 0, user);
    assert.is(await stored(p, user, 'FINAL'), 0, user);
  }
  const ids = await archivedIds(p.sink.catalog(), store);
  assert.equal(
    ids,
    USERS.filter((u) => u === 'u-1' || u === 'u-3')
      .flatMap((u) => [0, 1, 2, 3, 4].map((n) => `${u}-${n}`))
      .sort(),
  );
  const letters = [];
  for await (const l of readLetters(nc)) letters.push(new TextDecoder().decode(l.data));
  assert.equal(letters.length, 1);
  assert.match(letters[0]!, '"user_id":"u-1"');
  // Everyone else as before; the day counts recomputed without the two.
  for (const user of ['u-1', 'u-3']) assert.is(await stored(p, user), 5, user);
  const reportAfter = await rows<{ d: string; u: number }>(
    p.sink,
    'SELECT toString(day) AS d, uniqMerge(users) AS u FROM edge_events.events_daily GROUP BY d ORDER BY d',
  );
  assert.equal(
    reportAfter.map((r) => Number(r.u)),
    (reportBefore as { u: number }[]).map((r) => Number(r.u) - 2),
  );

  // From now on: u-2's events are answered and dropped; u-4's new ones kept; u-4's old one, still in the stream, not.
  const later = await post(`${p.url}/v1/events`, JSON.stringify(event('u-2', 9)), {
    'content-type': 'application/json',
  });
  assert.equal([later.status, later.json.status, later.json.reason], [202, 'dropped', 'suppressed']);
  const kept = await post(`${p.url}/v1/events`, JSON.stringify(event('u-4', 9)), {
    'content-type': 'application/json',
  });
  assert.equal([kept.status, kept.json.status], [202, 'accepted']);
  const old = JSON.stringify({
    ...event('u-4', 8),
    dt: '2024-06-01 10:00:00',
    received_at: at,
    catalog_version: 1,
    screen: '',
    elem: '',
    amount: 0,
  });
  await js.publish('events.generic', old, { msgID: 'event:u-4-8' });
  assert.is(await countReaches(p.sink, "SELECT count() AS n FROM edge_events.events WHERE user_id = 'u-4'", 1), 1);
  await waitUntilAcked(services.nats.url);
  assert.equal(await rows(p.sink, "SELECT event_id FROM edge_events.events WHERE user_id IN ('u-2', 'u-4')"), [
    { event_id: 'u-4-9' },
  ]);
  await nc.close();
});

test.run();
