// The object store keeps every key inside its root: a key is a relative path of plain segments, a folder store
// resolves each path (links too) and refuses one outside its folder, an S3 store refuses a key that a URL would
// normalise out of its prefix; the layout makes no folder of a name that is not a table's. ARCHIVE_URL's forms.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../shared/config/mod.ts';
import { hourFolderAt, objectKey, tableFolder } from './layout.ts';
import { openStore } from './store.ts';

const ESCAPES = [
  '../escape.parquet',
  '../../escape/x.parquet',
  'type=x/../../../escape.parquet',
  '/tmp/escape.parquet',
  'type=x//y.parquet',
  'type=x/./y.parquet',
  'type=x\\..\\..\\escape.parquet',
  '',
];

const rejects = async (what: Promise<unknown>, why: RegExp, label: string) => {
  const err = await what.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err, `${label}: should have been refused`);
  assert.match(err!.message, why, label);
};

test('a folder store refuses every key that is no plain relative path, and writes nothing outside', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-store-'));
  try {
    const root = join(dir, 'deep', 'archive');
    const store = openStore(loadConfig({ ARCHIVE_URL: root }).archive);
    assert.is(store.where, root);
    for (const key of ESCAPES) {
      await rejects(store.put(key, new Uint8Array([1])), /not an archive key/, `put ${key}`);
      await rejects(store.get(key), /not an archive key/, `get ${key}`);
    }
    for (const prefix of ['../', 'type=x/../../', '/etc/'])
      await rejects(store.list(prefix), /not an archive key/, prefix);
    assert.equal(readdirSync(dir), [], 'nothing was created, inside or outside');
    await store.put('type=events/date=2024-06-01/hour=13/1-2.parquet', new Uint8Array([1, 2, 3]));
    assert.equal(await store.get('type=events/date=2024-06-01/hour=13/1-2.parquet'), new Uint8Array([1, 2, 3]));
    assert.equal(await store.list(''), [{ key: 'type=events/date=2024-06-01/hour=13/1-2.parquet', size: 3 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a link inside the folder does not lead a folder store out of it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-store-'));
  try {
    const root = join(dir, 'archive');
    const outside = join(dir, 'outside');
    mkdirSync(join(root, 'type=events'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'secret');
    symlinkSync(outside, join(root, 'type=linked'));
    symlinkSync(join(outside, 'secret'), join(root, 'type=events', 'secret.parquet'));
    const store = openStore(loadConfig({ ARCHIVE_URL: root }).archive);
    await rejects(store.put('type=linked/x.parquet', new Uint8Array([1])), /outside the archive folder/, 'put');
    const deep = 'type=linked/date=2024-06-01/hour=13/1-2.parquet';
    await rejects(store.put(deep, new Uint8Array([1])), /outside the archive folder/, 'put deep');
    await rejects(store.get('type=events/secret.parquet'), /outside the archive folder/, 'get');
    assert.equal(readdirSync(outside), ['secret'], 'nothing written through the link');
    assert.equal(await store.list(''), [], 'links are not listed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an S3 store refuses a key that would leave its prefix before sending anything', async () => {
  const archive = loadConfig({ ARCHIVE_URL: 'http://127.0.0.1:9/bucket/prefix', ARCHIVE_TIMEOUT_MS: '100' }).archive;
  const store = openStore(archive);
  assert.is(store.where, 'http://127.0.0.1:9/bucket/prefix');
  for (const key of ESCAPES) await rejects(store.put(key, new Uint8Array([1])), /not an archive key/, key);
  await rejects(store.list('../'), /not an archive key/, 'list');
  // A good key goes to the server the URL names (nothing listens on port 9 here).
  await rejects(store.put('type=events/x.parquet', new Uint8Array([1])), /^PUT type=events\/x\.parquet: /, 'sent');
});

test('the layout makes a folder only of a table name', () => {
  const at = Date.parse('2024-06-01T13:30:00Z');
  assert.is(
    objectKey(hourFolderAt('page_visit', at), 1, 2),
    'type=page_visit/date=2024-06-01/hour=13/000000000001-000000000002.parquet',
  );
  assert.is(tableFolder('events'), 'type=events/');
  for (const bad of ['../../escape', 'x/y', 'a b', '', '.', 'x;y']) {
    assert.throws(() => hourFolderAt(bad, at), /not a table name/, bad);
    assert.throws(() => tableFolder(bad), /not a table name/, bad);
  }
});

test('ARCHIVE_URL=http(s)://host:port/bucket is a bucket on that server, not a folder named http:', () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-store-'));
  try {
    process.chdir(dir);
    const store = openStore(loadConfig({ ARCHIVE_URL: 'http://minio:9000/bucket' }).archive);
    assert.is(store.where, 'http://minio:9000/bucket');
    assert.not.ok(existsSync('http:'));
    assert.throws(() => openStore({ ...loadConfig({}).archive, url: 'ftp://x/y' }), /ARCHIVE_URL: unsupported scheme/);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
