// What `npm run archive` does: list what the archive holds, and replay part of it into the pipeline. A replayed
// event keeps its event_id (so the table collapses it with any copy it still has: replay adds no duplicates to
// results) and its received_at; its message carries REPLAY_HEADER, so the archiver does not archive it again, and a
// Nats-Msg-Id of its own, so JetStream's duplicate window does not drop it as the original message.
import { randomUUID } from 'node:crypto';
import {
  eventSubject,
  pause,
  replayMessageId,
  type Catalog,
  type EventType,
  type OutgoingEvent,
  type Publisher,
} from '../shared/mod.ts';
import { typeKeysOf } from '../shared/config/mod.ts';
import { REPLAY_HEADER } from '../streams/mod.ts';
import { hourStart, parseKey, tableFolder, type ObjectName } from './layout.ts';
import { parquetFooter, readParquet } from './parquet.ts';
import type { ObjectStore, StoredObject } from './store.ts';

const HOUR_MS = 3_600_000;

interface ArchivedFile extends StoredObject, ObjectName {}

/** The archive's files, of one table or all, with hours in [from, to) when given. */
export async function archivedFiles(
  store: ObjectStore,
  opts: { table?: string; from?: number; to?: number } = {},
): Promise<ArchivedFile[]> {
  const objects = await store.list(opts.table ? tableFolder(opts.table) : 'type=');
  return objects.flatMap((o) => {
    const name = parseKey(o.key);
    if (!name) return [];
    const at = hourStart(name);
    const overlaps = (opts.from === undefined || at + HOUR_MS > opts.from) && (opts.to === undefined || at < opts.to);
    if (!overlaps) return [];
    return [{ ...o, ...name }];
  });
}

interface TableSummary {
  table: string;
  hours: number;
  files: number;
  rows: number;
  bytes: number;
  first?: string;
  last?: string;
}

/** Per table: hours, files, rows (from each file's footer) and bytes. */
export async function summarize(store: ObjectStore): Promise<TableSummary[]> {
  const byTable = new Map<string, TableSummary & { hourSet: Set<string> }>();
  for (const f of await archivedFiles(store)) {
    const hour = `${f.date} ${f.hour}:00`;
    let s = byTable.get(f.table);
    if (!s) byTable.set(f.table, (s = { table: f.table, hours: 0, files: 0, rows: 0, bytes: 0, hourSet: new Set() }));
    const { rows } = await parquetFooter(f.size, (start, end) => store.get(f.key, [start, end]));
    s.files++;
    s.rows += rows;
    s.bytes += f.size;
    s.hourSet.add(hour);
    if (!s.first || hour < s.first) s.first = hour;
    if (!s.last || hour > s.last) s.last = hour;
  }
  return [...byTable.values()].map(({ hourSet, ...s }) => ({ ...s, hours: hourSet.size }));
}

export interface ReplayProgress {
  files: number;
  filesDone: number;
  events: number;
}

/**
 * Republishes the events of `type` archived in hours [from, to) (receive time, UTC), file by file; `onProgress` after
 * each file. A publish the stream does not take is retried with backoff, up to `attempts` times per batch.
 */
export async function replay(
  store: ObjectStore,
  publisher: Publisher,
  type: EventType,
  window: { from: number; to: number },
  onProgress: (p: ReplayProgress) => void = () => {},
  attempts = 8,
): Promise<ReplayProgress> {
  const files = await archivedFiles(store, { table: type.table, ...window });
  const run = randomUUID().slice(0, 8);
  const progress: ReplayProgress = { files: files.length, filesDone: 0, events: 0 };
  onProgress(progress);
  for (const file of files) {
    const rows = await readParquet(type, await store.get(file.key));
    for (let i = 0; i < rows.length; i += 1000) {
      let batch: OutgoingEvent[] = rows.slice(i, i + 1000).map((row) => ({
        subject: eventSubject(type.key),
        line: JSON.stringify(row),
        id: replayMessageId(run, String(row.event_id)),
      }));
      for (let attempt = 1; batch.length; attempt++) {
        const results = await publisher.publish(batch, { [REPLAY_HEADER]: run });
        const failed = batch.filter((_, j) => results[j]);
        progress.events += batch.length - failed.length;
        if (failed.length && attempt >= attempts)
          throw new Error(`the stream did not take ${failed.length} events: ${results.find(Boolean)!.message}`);
        if (failed.length) await pause(Math.min(5000, 250 * 2 ** attempt), { stopped: false });
        batch = failed;
      }
    }
    progress.filesDone++;
    onProgress(progress);
  }
  return progress;
}

/** The catalog type `name` names (its name, key or table), or a ConfigError listing the types. */
export function typeNamed(catalog: Catalog, name: string): EventType {
  const byTable = catalog.types.find((t) => t.table === name);
  return byTable ?? catalog.byKey(typeKeysOf([name], catalog, '--type')![0]!)!;
}
