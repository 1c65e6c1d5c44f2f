// Erasure from the cold tier (issue #23), in a folder and on an S3-compatible server (s3rver): the real archiver
// writes files of several people and types, phase by phase (files of others only, of the person only, of both);
// eraseFromArchive removes the person's rows from every file of a type with a user_id and touches nothing else. Each
// file is read back: the person is in none, every other row is there with the same values, the schema and the footer's
// metadata (the stream sequences) are the file's own (a file archived under an older catalog keeps its columns), files
// without the person are not written again (same inode and time; no PUT), a file of the person alone stays with no
// rows, replay and the list's counts follow, a second run changes nothing, and a numeric user_id matches its text.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  archivedFiles,
  eraseFromArchive,
  openStore,
  replay,
  startArchiver,
  summarize,
  typeNamed,
  type ObjectStore,
} from '../archive/mod.ts';
import type { Config } from '../shared/config/mod.ts';
import { eventMessageId, eventSubject, type Catalog, type OutgoingEvent } from '../shared/mod.ts';
import { createLogger, loadCatalogFiles } from '../shared/node/mod.ts';
import { ARCHIVER_CONSUMER, connectNats, createPublisher } from '../streams/mod.ts';
import { applyStreams, startS3, startServices, waitUntilAcked, type S3 } from './support/mod.ts';

const TYPES = 'catalog/10-generic.yaml,catalog/20-marketplace.yaml';
/** The archiver's catalog; the erasure follows version 2, whose SignupCompleted has a column more. */
const ARCHIVED_WITH = `${TYPES},test/support/catalogs/signup-v1.yaml`;
const catalog: Catalog = loadCatalogFiles(`${TYPES},test/support/catalogs/signup-v2.yaml`, 2);
/** Tables whose type has a user_id; device_report names people only in `owner`, and is never read. */
const USER_TABLES = ['events', 'page_visit', 'signup_completed'];
const PERSON = 'u-2';

const time = (i: number, ms = false) =>
  `2026-03-01 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` +
  (ms ? `.${String((i * 37) % 1000).padStart(3, '0')}` : '');
const web = { browser: 'Firefox', browser_version: '128', os: 'Linux', device_type: 'desktop', is_bot: 0 };
const place = { country: 'DE', region: 'BE', city: 'Berlin' };

/** One event of `table` for `user`, every column given, as the collector puts it in the stream. */
function event(table: string, user: string | number, i: number): [table: string, row: Record<string, unknown>] {
  const common = { event_id: `ev-${table}-${i}`, received_at: time(i, true), catalog_version: 0 };
  const fields: Record<string, Record<string, unknown>> = {
    events: { dt: time(i), event: `click_${i % 3}`, user_id: user, screen: 'home', elem: `b${i}`, amount: i * 100 },
    page_visit: { timestamp: time(i), user_id: user, page_id: 9_000_000_000 + i },
    signup_completed: { signed_up_at: time(i), user_id: user, plan: ['free', 'pro', 'team'][i % 3], seats: 1 + i },
    device_report: {
      at: time(i),
      device_id: `0190f5a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
      day: '2026-03-01',
      online: i % 2,
      battery: i / 1000,
      readings: [i, i + 1],
      tags: ['a'],
      meta: `{"n":${i}}`,
      label: 'kitchen',
      owner: user,
      extra: '{}',
    },
  };
  const extra = table === 'events' || table === 'page_visit' ? { ...web, ...place } : {};
  const coupon = table === 'signup_completed' ? { coupon: i % 2 ? null : `C${i}` } : {};
  return [table, { ...common, ...fields[table], ...extra, ...coupon }];
}

/** Three phases, each archived in files of its own: others only; the person only; everyone mixed. */
function phases(): [string, Record<string, unknown>][][] {
  let i = 0;
  const many = (table: string, users: (string | number)[]) => users.map((u) => event(table, u, i++));
  return [
    [
      ...many('events', ['u-1', 'u-3', 'u-1', 'u-3']),
      ...many('page_visit', [1, 3, 3]),
      ...many('device_report', [PERSON, 'u-1', PERSON]),
      ...many('signup_completed', ['u-1']),
    ],
    [...many('events', [PERSON, PERSON, PERSON]), ...many('signup_completed', [PERSON])],
    [
      ...many('events', ['u-1', PERSON, 'u-3', PERSON, 'u-1', 'u-12', '2']),
      ...many('page_visit', [1, 2, 3, 2]),
      ...many('signup_completed', [PERSON, 'u-4', 'U-2', PERSON]),
    ],
  ];
}

/** Publishes each phase and waits until the archiver has stored and acked it (ARCHIVE_FLUSH_SECONDS=1). */
async function archive(cfg: Config): Promise<void> {
  const link = await connectNats(cfg.nats.url!, 'erase test', createLogger('test', 'silent'));
  try {
    const publisher = createPublisher(link, { timeoutMs: 5000, maxEventsPerMessage: 100 });
    for (const phase of phases()) {
      const batch: OutgoingEvent[] = phase.map(([table, row]) => ({
        subject: eventSubject(typeNamed(catalog, table).key),
        line: JSON.stringify(row),
        id: eventMessageId(String(row.event_id)),
      }));
      assert.equal(
        await publisher.publish(batch),
        batch.map(() => undefined),
        'the stream took every event',
      );
      await waitUntilAcked(cfg.nats.url!, 30_000, ARCHIVER_CONSUMER);
    }
  } finally {
    await link.nc.drain();
  }
}

interface FileState {
  key: string;
  table: string;
  bytes: Uint8Array;
  /** The rows as hyparquet reads them (bigint, Date, strings): compared value by value. */
  rows: Record<string, unknown>[];
  schema: unknown;
  meta: unknown;
  /** What changes when the object is written again (inode and modification time of the file holding it). */
  stamp: string;
}

async function snapshot(store: ObjectStore, stampOf: (key: string) => string): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  for (const f of await archivedFiles(store)) {
    const bytes = await store.get(f.key);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    const state = { key: f.key, table: f.table, bytes, rows, stamp: stampOf(f.key) };
    out.set(f.key, { ...state, schema: metadata.schema, meta: metadata.key_value_metadata });
  }
  return out;
}

const isPerson = (id: string) => (row: Record<string, unknown>) => String(row.user_id) === id;
const rowsOf = (files: Iterable<FileState>) => [...files].reduce((n, f) => n + f.rows.length, 0);

/** The whole story against one store: `stampOf` says when an object was last written. */
async function eraseScenario(s3: S3 | undefined, env: Record<string, string>, stampOf: (key: string) => string) {
  const services = await startServices('none');
  const cfg = services.config({ ...env, EVENT_CATALOG: ARCHIVED_WITH, ARCHIVE_FLUSH_SECONDS: '1' });
  await applyStreams(cfg);
  const archiver = await startArchiver(cfg);
  try {
    await archive(cfg);
    const store = openStore(cfg.archive);
    const before = await snapshot(store, stampOf);
    const files = [...before.values()];
    const holding = files.filter((f) => f.rows.some(isPerson(PERSON)));
    const scanned = files.filter((f) => USER_TABLES.includes(f.table));
    // The archive as this test needs it: files without the person, of the person alone, of both; a type without
    // a user_id whose rows name the person elsewhere.
    assert.ok(
      scanned.some((f) => !f.rows.some(isPerson(PERSON))),
      'files of others only',
    );
    assert.ok(
      holding.some((f) => f.rows.every(isPerson(PERSON))),
      'files of the person only',
    );
    assert.ok(
      holding.some((f) => !f.rows.every(isPerson(PERSON))),
      'files of the person and others',
    );
    assert.ok(files.some((f) => f.table === 'device_report' && f.rows.some((r) => r.owner === PERSON)));
    assert.is(new Set(holding.map((f) => f.table)).size, 2, 'the person in two tables');
    const puts = s3?.puts;

    const erased = await eraseFromArchive(store, catalog, PERSON);
    const removed = holding.reduce((n, f) => n + f.rows.filter(isPerson(PERSON)).length, 0);
    assert.equal(erased, { files: holding.length, events: removed, scanned: scanned.length });
    if (s3) assert.is(s3.puts - puts!, holding.length, 'one PUT per file holding the person, none for others');

    const after = await snapshot(store, stampOf);
    assert.equal([...after.keys()], [...before.keys()], 'every file is still there, under its key');
    for (const old of files) {
      const now = after.get(old.key)!;
      assert.equal(
        now.rows,
        old.rows.filter((r) => !isPerson(PERSON)(r)),
        `${old.key}: everyone else's rows`,
      );
      assert.equal(now.meta, old.meta, `${old.key}: the same footer metadata (stream sequences)`);
      assert.equal(now.schema, old.schema, `${old.key}: the file's own columns`);
      if (holding.includes(old)) {
        assert.is.not(now.stamp, old.stamp, `${old.key}: written again`);
        assert.not.ok(Buffer.from(now.bytes).includes(PERSON), `${old.key}: not a byte of the person left`);
      } else {
        assert.is(now.stamp, old.stamp, `${old.key}: not written again`);
        assert.equal(now.bytes, old.bytes, `${old.key}: the same bytes`);
      }
    }
    // The erasure's catalog (v2) has SignupCompleted.referrer; the files rewritten were archived under v1.
    const v1 = holding.filter((f) => f.table === 'signup_completed');
    assert.ok(
      v1.length &&
        v1.every((f) => !(after.get(f.key)!.schema as { name: string }[]).some((e) => e.name === 'referrer')),
      'a file archived under catalog v1 keeps its v1 columns',
    );

    // What `npm run archive -- list` counts, and what a replay publishes, follow.
    const listed = await summarize(store);
    for (const t of listed)
      assert.is(t.rows, rowsOf([...after.values()].filter((f) => f.table === t.table)), `${t.table}: rows listed`);
    assert.is(
      listed.reduce((n, t) => n + t.files, 0),
      files.length,
      'a file of the person alone is listed, empty',
    );
    const published: Record<string, unknown>[] = [];
    const publisher = {
      publish: async (batch: readonly OutgoingEvent[]) => {
        published.push(...batch.map((e) => JSON.parse(e.line) as Record<string, unknown>));
        return batch.map(() => undefined);
      },
      ready: async () => true,
    };
    const events = typeNamed(catalog, 'events');
    const replayed = await replay(store, publisher, events, { from: 0, to: Date.now() + 3_600_000 });
    const kept = files.filter((f) => f.table === 'events').flatMap((f) => f.rows.filter((r) => !isPerson(PERSON)(r)));
    assert.is(replayed.events, kept.length);
    assert.equal(published.map((r) => r.event_id).sort(), kept.map((r) => r.event_id).sort(), 'replay: everyone else');

    // A second run finds nothing and writes nothing.
    const putsBefore = s3?.puts;
    assert.equal(await eraseFromArchive(store, catalog, PERSON), { files: 0, events: 0, scanned: scanned.length });
    if (s3) assert.is(s3.puts, putsBefore, 'no PUT');
    const again = await snapshot(store, stampOf);
    for (const [key, now] of after) assert.is(again.get(key)!.stamp, now.stamp, `${key}: not written again`);

    // A user_id typed as a number matches its text: '2' is user 2 of page_visit (Int64). The string '2' in events
    // stays: only page_visit is asked for.
    const visits = [...again.values()].filter((f) => f.table === 'page_visit');
    const withTwo = visits.filter((f) => f.rows.some(isPerson('2')));
    assert.ok(
      withTwo.length > 0 && [...again.values()].some((f) => f.table === 'events' && f.rows.some(isPerson('2'))),
    );
    assert.equal(await eraseFromArchive(store, catalog, '2', { tables: ['page_visit'] }), {
      files: withTwo.length,
      events: withTwo.reduce((n, f) => n + f.rows.filter(isPerson('2')).length, 0),
      scanned: visits.length,
    });
    const final = await snapshot(store, stampOf);
    for (const [key, old] of again) {
      const now = final.get(key)!;
      const visit = old.table === 'page_visit';
      assert.equal(now.rows, visit ? old.rows.filter((r) => !isPerson('2')(r)) : old.rows, `${key}: page_visit only`);
      if (!withTwo.includes(old)) assert.is(now.stamp, old.stamp, `${key}: not written again`);
    }
  } finally {
    await archiver.stop();
    await services.cleanup();
  }
}

const test = suite<{ dir: string; s3: S3 }>('archive erasure');
test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-erase-'));
  ctx.s3 = await startS3(ctx.dir);
});
test.after(async (ctx) => {
  await ctx.s3?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const stampAt = (path: string) => {
  const s = statSync(path);
  return `${s.ino}:${s.mtimeMs}`;
};

test('a folder archive: the person leaves every file, nothing else changes', async (ctx) => {
  const root = join(ctx.dir, 'folder');
  await eraseScenario(undefined, { ARCHIVE_URL: root }, (key) => stampAt(join(root, key)));
});

test('an S3 archive: the person leaves every file, one PUT per file that held them', async (ctx) => {
  // s3rver keeps each object in a file of its own: its inode and time change only when the object is written.
  const where = join(ctx.dir, 's3', ctx.s3.bucket, 'erase');
  await eraseScenario(ctx.s3, ctx.s3.env('erase'), (key) => stampAt(join(where, `${key}._S3rver_object`)));
});

test.run();
