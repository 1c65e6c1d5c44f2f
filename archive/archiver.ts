// The archiver's destination, for the consumer runner (streams/consumer.ts): messages from its own durable consumer
// are held (the runner's MessageBuffer), grouped by event table and the hour the stream received them, until a
// group reaches ARCHIVE_FILE_BYTES or has waited ARCHIVE_FLUSH_SECONDS; then the group is delivered as one Parquet
// file, stored whole, and only then are its messages acked. A store that fails is retried by the runner with
// backoff (every held message kept alive); meanwhile nothing else is fetched, so the archiver holds what it has
// while the sink, on its own consumer, carries on.
//
// Exactly once in the archive: a message comes back only if an archiver died (or stalled past ack_wait) holding it,
// perhaps after storing its file. Before a file with a redelivered message is written, the files of its hour are
// read (their footers: the sequences they hold), and messages already there are acked, not written again. A replayed
// event (REPLAY_HEADER) is in the archive already: acked and skipped.
import type { JsMsg } from '@nats-io/jetstream';
import { typeKeyOf, type Catalog, type EventType } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import {
  ARCHIVER_MAX_PENDING,
  eventsIn,
  REPLAY_HEADER,
  type Attempt,
  type Destination,
  type ForgetList,
} from '../streams/mod.ts';
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
  /** What the consumer runner delivers to. */
  readonly destination: Destination;
}

export function createArchiver(deps: {
  store: ObjectStore;
  catalog: () => Catalog;
  cfg: { fileBytes: number; flushSeconds: number };
  log: Logger;
  /** Whose events are not written (streams' privacy register). */
  forget?: ForgetList;
}): Archiver {
  const { store, cfg, log } = deps;
  const groups = new Map<string, Group>();
  /** Groups set apart for delivery, by their first message: the runner hands their messages back to deliver(). */
  const delivering = new Map<JsMsg, Group>();
  const stats: ArchiverStats = { files: 0, events: 0, bytes: 0, skipped: 0, storeErrors: 0 };
  /** Per stored file, the sequences it holds (from its footer, read when a redelivery needs it). */
  const footers = new Map<string, (seq: number) => boolean>();
  const warned = new Map<string, number>();
  const utf8 = new TextDecoder();
  let held = 0;

  /** Holds a message; true when its group has reached ARCHIVE_FILE_BYTES. */
  const add = (msg: JsMsg): boolean => {
    if (msg.headers?.get(REPLAY_HEADER)) {
      stats.skipped++;
      msg.ack();
      return false;
    }
    const type = deps.catalog().byKey(typeKeyOf(msg.subject));
    if (!type) {
      // A type a newer catalog has: it comes back once this archiver follows that version. Said once a minute.
      if ((warned.get(msg.subject) ?? 0) < Date.now() - 60_000) {
        warned.set(msg.subject, Date.now());
        log.warn({ subject: msg.subject }, 'unknown event type; redelivered later');
      }
      msg.nak(10_000);
      return false;
    }
    const folder = hourFolderAt(type.table, Math.floor(msg.info.timestampNanos / 1e6));
    let group = groups.get(folder);
    if (!group) groups.set(folder, (group = { type, folder, msgs: new Map(), bytes: 0, since: Date.now() }));
    // A message redelivered while held (ack_wait passed during a long store outage) is held once.
    if (!group.msgs.has(msg.seq)) {
      held++;
      group.bytes += msg.data.byteLength;
    }
    group.msgs.set(msg.seq, msg);
    return group.bytes >= cfg.fileBytes;
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

  /** One attempt at a group's file: every message done once stored (or found stored); all retried if the store
   *  fails. A retry after a partial success writes only what is still missing. */
  const deliver = async (msgs: JsMsg[]): Promise<Attempt> => {
    const group = delivering.get(msgs[0]!)!;
    try {
      let pending = [...msgs].sort((a, b) => a.seq - b.seq);
      if (pending.some((m) => m.info.redelivered)) {
        // Those already in a stored file are done too (acked with the rest), not written again.
        const has = await archivedIn(group.folder);
        const before = pending.length;
        pending = pending.filter((m) => !has(m.seq));
        stats.skipped += before - pending.length;
      }
      if (pending.length) {
        let rows = pending.flatMap((m) => eventsIn(m.data).map((line) => JSON.parse(utf8.decode(line))));
        // An erased person's events received before the request (or any, suppressed) are not archived again.
        const forget = deps.forget;
        if (forget && forget.size > 0)
          rows = rows.filter(
            (r) =>
              r.user_id == null ||
              !forget.forgets(String(r.user_id), Date.parse(`${String(r.received_at).replace(' ', 'T')}Z`)),
          );
        const sequences = encodeRanges(pending.map((m) => m.seq));
        const bytes = writeParquet(group.type, rows, { [SEQUENCES_KEY]: sequences });
        const key = objectKey(group.folder, pending[0]!.seq, pending.at(-1)!.seq);
        await store.put(key, bytes);
        footers.set(key, decodeRanges(sequences));
        stats.files++;
        stats.events += rows.length;
        stats.bytes += bytes.byteLength;
        log.info({ key, events: rows.length, bytes: bytes.byteLength }, 'archived');
      }
      release(group, msgs);
      return { done: msgs, dead: [], retry: [] };
    } catch (err) {
      stats.storeErrors++;
      return { done: [], dead: [], retry: msgs, reason: `archive write to ${group.folder}: ${(err as Error).message}` };
    }
  };

  /** A delivered group's messages leave the archiver's hands. */
  const release = (group: Group, msgs: JsMsg[]) => {
    delivering.delete(msgs[0]!);
    held -= msgs.length;
    group.msgs.clear();
  };

  /** Sets a group apart for delivery: messages of its hour arriving meanwhile start the next file. */
  const takeOut = (group: Group): JsMsg[] => {
    groups.delete(group.folder);
    const msgs = [...group.msgs.values()];
    delivering.set(msgs[0]!, group);
    return msgs;
  };

  const isDue = (g: Group) => g.bytes >= cfg.fileBytes || Date.now() - g.since >= cfg.flushSeconds * 1000;
  const due = (all: boolean): JsMsg[][] => {
    const out = [...groups.values()].filter((g) => all || isDue(g)).map(takeOut);
    // Near the consumer's max_ack_pending (or fetching would stall), or past four files' worth of events in memory
    // (many busy types), the biggest groups go early.
    const waiting = () => held - out.reduce((n, msgs) => n + msgs.length, 0);
    const waitingBytes = () => [...groups.values()].reduce((n, g) => n + g.bytes, 0);
    while (groups.size > 0 && (waiting() > ARCHIVER_MAX_PENDING * 0.75 || waitingBytes() > 4 * cfg.fileBytes)) {
      out.push(takeOut([...groups.values()].sort((a, b) => b.bytes - a.bytes)[0]!));
    }
    return out;
  };

  return {
    stats,
    held: () => held,
    destination: {
      deliver,
      buffer: {
        add,
        due,
        *held() {
          for (const g of groups.values()) yield* g.msgs.values();
          for (const g of delivering.values()) yield* g.msgs.values();
        },
        checkEveryMs: 1000,
      },
    },
  };
}
