// Erasure from the cold tier (issue #23, GDPR art. 17): every archive file that holds a person's events is written
// again without them, under the same key, and every other file is left as it is. The new file keeps the old one's
// schema, row groups, compression and key-value metadata (the stream sequences it holds, so the archiver still finds
// a redelivered message archived and does not write the person back), and its other values keep their bytes: they are
// read as they lie in the file (strings as bytes, times as integers) and written back unchanged. A file that held only
// the person stays, with no rows: deleting it would drop the sequences from the archiver's redelivery check, and replay
// and `npm run archive -- list` read a file with no rows as one with none to give. The store's put() replaces an
// object whole (an S3 PUT; a folder store renames a temporary file over it), so a reader sees the old file or the new.
// Files are scanned one at a time, reading each footer and user_id column with ranged reads; only a file that holds
// the person is fetched whole and written again. A second run finds nothing and writes nothing.
import {
  parquetMetadata,
  parquetMetadataAsync,
  parquetScan,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetParsers,
  type SchemaElement,
} from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Catalog } from '../shared/mod.ts';
import { archivedFiles } from './replay.ts';
import type { ObjectStore, StoredObject } from './store.ts';

const USER_ID = 'user_id';

export interface ArchiveErasure {
  /** Files written again without the person. */
  files: number;
  /** The person's events removed from them. */
  events: number;
  /** Files whose footer and user_id column were read. */
  scanned: number;
}

/** Values as they lie in the file: strings as bytes, times as integers, so writing them back gives the same bytes. */
const AS_STORED: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v) => v,
  timestampFromMicroseconds: (v) => v,
  timestampFromNanoseconds: (v) => v,
  dateFromDays: (v) => v,
  stringFromBytes: (v) => v,
};

// A byte-order mark stays part of the text: '\uFEFFu-2' is not 'u-2'.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
/** A stored user_id as text: a typed table holds it as a number, another as a string's bytes. */
const textOf = (v: unknown) =>
  v instanceof Uint8Array ? utf8.decode(v) : v === null || v === undefined ? '' : String(v);

const arrayBufferOf = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** Erasures of one archive run one after another, so two never rewrite the same file from the same old bytes. */
const running = new Map<string, Promise<unknown>>();

/**
 * Removes every event whose user_id is `userId` from the archive's files of the tables whose catalog type has a
 * user_id (and of tables the catalog no longer names), or of `opts.tables` only.
 */
export async function eraseFromArchive(
  store: ObjectStore,
  catalog: Catalog,
  userId: string,
  opts: { tables?: string[] } = {},
): Promise<ArchiveErasure> {
  const before = running.get(store.where) ?? Promise.resolve();
  const erasure = before.catch(() => {}).then(() => erase(store, catalog, userId, opts));
  running.set(store.where, erasure);
  try {
    return await erasure;
  } finally {
    if (running.get(store.where) === erasure) running.delete(store.where);
  }
}

async function erase(
  store: ObjectStore,
  catalog: Catalog,
  userId: string,
  opts: { tables?: string[] },
): Promise<ArchiveErasure> {
  if (!userId) throw new Error('eraseFromArchive: no user_id given');
  // A type without a user_id holds no one's events by that id: its files are not read.
  const without = new Set(
    catalog.types.filter((t) => !(USER_ID in t.fields) && !(USER_ID in t.serverFields)).map((t) => t.table),
  );
  const listed = opts.tables
    ? (await Promise.all(opts.tables.map((table) => archivedFiles(store, { table })))).flat()
    : await archivedFiles(store);
  const out: ArchiveErasure = { files: 0, events: 0, scanned: 0 };
  for (const file of listed.filter((f) => !without.has(f.table))) {
    out.scanned++;
    try {
      if (!(await holdsPerson(store, file, userId))) continue;
      const { bytes, removed } = await withoutPerson(await store.get(file.key), userId);
      if (!removed) continue;
      await store.put(file.key, bytes);
      out.files++;
      out.events += removed;
    } catch (err) {
      throw new Error(`erasing from ${file.key}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}

/** Whether a file has a row of the person, reading only its footer and its user_id column. */
async function holdsPerson(store: ObjectStore, file: StoredObject, userId: string): Promise<boolean> {
  const buffer: AsyncBuffer = {
    byteLength: file.size,
    slice: async (start, end = file.size) => arrayBufferOf(await store.get(file.key, [start, end])),
  };
  const metadata = await parquetMetadataAsync(buffer, { initialFetchSize: 64 * 1024 });
  if (!metadata.schema.slice(1).some((e) => e.name === USER_ID)) return false;
  const scan = await parquetScan({ file: buffer, metadata, columns: [USER_ID], parsers: AS_STORED, utf8: false });
  for (const range of scan.ranges) {
    const ids = await scan.readColumn({ column: USER_ID, ...range });
    if (Array.from(ids as ArrayLike<unknown>, textOf).includes(userId)) return true;
  }
  return false;
}

/** The file's bytes without the person's rows: the same schema, row groups (less those rows), codec and metadata. */
async function withoutPerson(original: Uint8Array, userId: string): Promise<{ bytes: Uint8Array; removed: number }> {
  const file = arrayBufferOf(original);
  const metadata = parquetMetadata(file);
  const columns = flatColumns(metadata);
  const codec = metadata.row_groups[0]?.columns[0]?.meta_data?.codec ?? 'SNAPPY';
  if (codec !== 'SNAPPY' && codec !== 'UNCOMPRESSED') throw new Error(`compressed with ${codec}, not rewritten`);
  const scan = await parquetScan({ file, metadata, parsers: AS_STORED, utf8: false });
  const kept: unknown[][] = columns.map(() => []);
  const groups: number[] = [];
  let read = 0;
  let removed = 0;
  for (const range of scan.ranges) {
    const ids = Array.from((await scan.readColumn({ column: USER_ID, ...range })) as ArrayLike<unknown>, textOf);
    const keep = ids.map((id) => id !== userId);
    const n = keep.filter(Boolean).length;
    read += ids.length;
    removed += ids.length - n;
    if (n === 0) continue;
    groups.push(n);
    for (const [i, column] of columns.entries()) {
      const values = (await scan.readColumn({ column: column.name, ...range })) as ArrayLike<unknown>;
      for (let j = 0; j < keep.length; j++) if (keep[j]) kept[i]!.push(values[j]);
    }
  }
  // Every row is either kept or the person's: a scan that missed rows would lose other people's events.
  if (read !== Number(metadata.num_rows)) throw new Error(`read ${read} of ${metadata.num_rows} rows, not rewritten`);
  const buffer = parquetWriteBuffer({
    columnData: columns.map((c, i) => ({ name: c.name, data: kept[i]! })),
    schema: metadata.schema,
    codec,
    kvMetadata: metadata.key_value_metadata,
    createdBy: metadata.created_by,
    ...(groups.length ? { rowGroupSize: groups } : {}),
  });
  const bytes = new Uint8Array(buffer);
  const written = parquetMetadata(buffer);
  if (Number(written.num_rows) !== read - removed) throw new Error('the rewritten file lost rows, not stored');
  return { bytes, removed };
}

/** Column kinds (physical type/converted type) whose values, read as stored, are written back byte for byte. */
const REWRITABLE = new Set([
  'BOOLEAN',
  'INT32',
  'INT32/DATE',
  'INT64',
  'INT64/TIMESTAMP_MILLIS',
  'INT64/TIMESTAMP_MICROS',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'BYTE_ARRAY/UTF8',
]);
const REWRITABLE_LOGICAL = new Set(['STRING', 'DATE', 'TIMESTAMP']);

/** The file's columns, when it is flat and of the types the archiver writes (which come back byte for byte). */
function flatColumns(metadata: FileMetaData): SchemaElement[] {
  const columns = metadata.schema.slice(1);
  for (const e of columns) {
    const kind = `${e.type}${e.converted_type ? `/${e.converted_type}` : ''}`;
    const logical = e.logical_type?.type;
    const plain = !e.num_children && REWRITABLE.has(kind) && (!logical || REWRITABLE_LOGICAL.has(logical));
    if (!plain) throw new Error(`column ${e.name} (${kind}${logical ? ` ${logical}` : ''}) cannot be rewritten`);
  }
  if (metadata.schema[0]?.num_children !== columns.length) throw new Error('nested columns cannot be rewritten');
  return columns;
}
