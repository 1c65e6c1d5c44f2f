// The archiver's core: messages from its own durable consumer are held, grouped by event table and the hour the
// stream received them, until a group reaches ARCHIVE_FILE_BYTES or has waited ARCHIVE_FLUSH_SECONDS; then the group
// becomes one Parquet file, stored whole, and only then are its messages acked. A store that fails is retried with
// backoff (the messages stay held, kept alive with working()); meanwhile nothing else is fetched, so the archiver
// holds what it has while the sink, on its own consumer, carries on.
//
// Exactly once in the archive: a message comes back only if an archiver died (or stalled past ack_wait) holding it,
// perhaps after storing its file. Before a file with a redelivered message is written, the files of its hour are
// read (their footers: the sequences they hold), and messages already there are acked, not written again. A replayed
// event (REPLAY_HEADER) is in the archive already: acked and skipped.
import type { JsMsg } from '@nats-io/jetstream';
import { pause, retryDelayMs, typeKeyOf, type Catalog, type EventType, type StopSignal } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { ARCHIVER_MAX_PENDING, eventsIn, REPLAY_HEADER } from '../streams/mod.ts';
import { decodeRanges, encodeRanges, hourFolderAt, objectKey, parseKey } from './layout.ts';
import { parquetFooter, SEQUENCES_KEY, writeParquet } from './parquet.ts';
import type { ObjectStore } from './store.ts';

export interface ArchiverStats {
  files: number;
  events: number;
  bytes: number;
  /** Messages found already archived (a redelivery after a crash) or replayed. */
  skipped: number;
  storeErrors: number;
}

interface Group {
  type: EventType;
  folder: string;
  msgs: Map<number, JsMsg>;
  bytes: number;
  since: number;
}

export interface Archiver {
  readonly stats: ArchiverStats;
  /** Messages the archiver holds (acked once their file is stored). */
  held(): number;
  /** Takes a fetched batch and writes the files that are due. */
  take(msgs: JsMsg[], signal: StopSignal): Promise<void>;
  /** Writes the files that are due (called every second between batches). */
  flushDue(signal: StopSignal): Promise<void>;
  /** Writes everything held (on stop), once; what cannot be stored is nakked for the next archiver. */
  drain(): Promise<void>;
}

export function createArchiver(deps: {
  store: ObjectStore;
  catalog: () => Catalog;
  cfg: { fileBytes: number; flushSeconds: number; ackWaitSeconds: number; retryBaseMs: number; retryMaxMs: number };
  log: Logger;
}): Archiver {
  const { store, cfg, log } = deps;
  const groups = new Map<string, Group>();
  const stats: ArchiverStats = { files: 0, events: 0, bytes: 0, skipped: 0, storeErrors: 0 };
  /** Per stored file, the sequences it holds (from its footer, read when a redelivery needs it). */
  const footers = new Map<string, (seq: number) => boolean>();
  const warned = new Map<string, number>();
  const utf8 = new TextDecoder();
  let held = 0;
  let heldBytes = 0;
  // One write at a time: take() and the timer both flush.
  let chain: Promise<void> = Promise.resolve();
  const serial = (work: () => Promise<void>) => (chain = chain.then(work, work));

  /** Holds a message; returns its group when that has reached ARCHIVE_FILE_BYTES. */
  const add = (msg: JsMsg): Group | undefined => {
    if (msg.headers?.get(REPLAY_HEADER)) {
      stats.skipped++;
      return void msg.ack();
    }
    const type = deps.catalog().byKey(typeKeyOf(msg.subject));
    if (!type) {
      // A type a newer catalog has: it comes back once this archiver follows that version. Said once a minute.
      if ((warned.get(msg.subject) ?? 0) < Date.now() - 60_000) {
        warned.set(msg.subject, Date.now());
        log.warn({ subject: msg.subject }, 'unknown event type; redelivered later');
      }
      return void msg.nak(10_000);
    }
    const folder = hourFolderAt(type.table, Math.floor(msg.info.timestampNanos / 1e6));
    let group = groups.get(folder);
    if (!group) groups.set(folder, (group = { type, folder, msgs: new Map(), bytes: 0, since: Date.now() }));
    // A message redelivered while held (ack_wait passed during a long store outage) is held once.
    if (!group.msgs.has(msg.seq)) {
      held++;
      heldBytes += msg.data.byteLength;
      group.bytes += msg.data.byteLength;
    }
    group.msgs.set(msg.seq, msg);
    return group.bytes >= cfg.fileBytes ? group : undefined;
  };

  /** Which sequences the files stored in `folder` hold: listed afresh (another archiver may have written there),
   *  each file's footer read once. */
  const archivedIn = async (folder: string) => {
    const tests: ((seq: number) => boolean)[] = [];
    for (const object of await store.list(folder)) {
      if (!parseKey(object.key)) continue;
      let has = footers.get(object.key);
      if (!has) {
        const { meta } = await parquetFooter(object.size, (start, end) => store.get(object.key, [start, end]));
        footers.set(object.key, (has = decodeRanges(meta[SEQUENCES_KEY] ?? '')));
      }
      tests.push(has);
    }
    return (seq: number) => tests.some((has) => has(seq));
  };

  /** Writes one group's file; true once stored (or found stored), false when stopping first. */
  const write = async (group: Group, signal: StopSignal): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      try {
        let msgs = [...group.msgs.values()].sort((a, b) => a.seq - b.seq);
        if (msgs.some((m) => m.info.redelivered)) {
          const has = await archivedIn(group.folder);
          const done = msgs.filter((m) => has(m.seq));
          for (const m of done) m.ack();
          stats.skipped += done.length;
          msgs = msgs.filter((m) => !done.includes(m));
        }
        if (msgs.length) {
          const rows = msgs.flatMap((m) => eventsIn(m.data).map((line) => JSON.parse(utf8.decode(line))));
          const sequences = encodeRanges(msgs.map((m) => m.seq));
          const bytes = writeParquet(group.type, rows, { [SEQUENCES_KEY]: sequences });
          const key = objectKey(group.folder, msgs[0]!.seq, msgs.at(-1)!.seq);
          await store.put(key, bytes);
          footers.set(key, decodeRanges(sequences));
          for (const m of msgs) m.ack();
          stats.files++;
          stats.events += rows.length;
          stats.bytes += bytes.byteLength;
          log.info({ key, events: rows.length, bytes: bytes.byteLength }, 'archived');
        }
        return true;
      } catch (err) {
        stats.storeErrors++;
        if (signal.stopped) return false;
        const delay = retryDelayMs(attempt, cfg.retryBaseMs, cfg.retryMaxMs);
        log.warn({ folder: group.folder, err: (err as Error).message, retryInMs: delay }, 'archive write failed');
        // Every held message, not only this file's: none should come back while the store is away.
        const keepAlive = () => [group, ...groups.values()].forEach((g) => g.msgs.forEach((m) => m.working()));
        await pause(delay, signal, keepAlive, (cfg.ackWaitSeconds * 1000) / 3);
      }
    }
  };

  const flush = async (due: (g: Group) => boolean, signal: StopSignal) => {
    for (const group of [...groups.values()].filter(due)) {
      // Set apart while it is written: messages of its hour arriving meanwhile start the next file.
      groups.delete(group.folder);
      if (await write(group, signal)) {
        held -= group.msgs.size;
        heldBytes -= group.bytes;
        continue;
      }
      // Stopping before it was stored: held again (with what arrived meanwhile), for drain() to try once more.
      const next = groups.get(group.folder);
      if (next) for (const [seq, m] of next.msgs) if (!group.msgs.has(seq)) group.msgs.set(seq, m);
      group.bytes = [...group.msgs.values()].reduce((sum, m) => sum + m.data.byteLength, 0);
      groups.set(group.folder, group);
      return;
    }
  };

  const isDue = (g: Group) => g.bytes >= cfg.fileBytes || Date.now() - g.since >= cfg.flushSeconds * 1000;
  const flushDue = (signal: StopSignal) =>
    serial(async () => {
      await flush(isDue, signal);
      // Near the consumer's max_ack_pending (or fetching would stall), or past four files' worth of events in memory
      // (many busy types), the biggest groups go early.
      while ((held > ARCHIVER_MAX_PENDING * 0.75 || heldBytes > 4 * cfg.fileBytes) && !signal.stopped) {
        const biggest = [...groups.values()].sort((a, b) => b.bytes - a.bytes)[0]!;
        await flush((g) => g === biggest, signal);
      }
    });

  return {
    stats,
    held: () => held,
    take: async (msgs, signal) => {
      for (const msg of msgs) {
        const full = add(msg);
        // A file of ARCHIVE_FILE_BYTES at most (plus one message), however big the batch.
        if (full) await serial(() => flush((g) => g === full, signal));
      }
      await flushDue(signal);
    },
    flushDue,
    drain: () =>
      serial(async () => {
        await flush(() => true, { stopped: true });
        for (const group of groups.values()) group.msgs.forEach((m) => m.nak());
        groups.clear();
        held = 0;
        heldBytes = 0;
      }),
  };
}
