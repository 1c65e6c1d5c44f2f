// Publishes events to JetStream and resolves each only on the stream's own PubAck (so a 2xx is durable).
// Coalesced: events of one subject published in the same turn of the event loop share one message
// (see container.ts). Pipelined: a core publish with a reply subject under one inbox, acks matched as
// they arrive, one timer sweeping expired waits — far cheaper per event than a request/reply each.
// Wire: NATS PUB with headers (Nats-Msg-Id, traceparent per event), PubAck JSON on `<inbox>.<n>`.
import { headers, type Msg } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NotStored, Publisher } from '../shared/mod.ts';
import type { NatsLink } from './connect.ts';
import { messageIdOf, packLines, utf8Length } from './container.ts';
import { EVENTS_STREAM } from './definitions.ts';

interface PublisherOptions {
  timeoutMs: number;
  /** Events of one subject that may share a message; 1 publishes each event as its own message. */
  maxEventsPerMessage: number;
}

type Result = NotStored | undefined;
const notStored = (reason: NotStored['reason'], message: string): NotStored => ({ reason, message });

/** What JetStream answers on the reply subject: a PubAck, or an API error. */
type PubAckReply =
  | { stream: string; seq: number; duplicate?: boolean }
  | { error: { code: number; err_code?: number; description?: string } };

/** One publish() call: its results, filled in as the messages holding its events are settled. */
interface Call {
  results: Result[];
  left: number;
  resolve(results: Result[]): void;
}

/** A message being filled: the events of one subject published in this turn of the event loop. */
interface Open {
  subject: string;
  lines: string[];
  ids: string[];
  bytes: number;
  headers: [string, string][];
  /** For each event, the call it came from and its index there. */
  calls: Call[];
  indexes: number[];
}

/** How long a look at stream EVENTS answers /readyz: a flood of probes costs JetStream one request a second. */
const READY_CHECK_MS = 1000;

/**
 * Whether events can be accepted now: connected (known at once) and stream EVENTS seen within the last
 * READY_CHECK_MS. Answers from that cached state; a stale one is refreshed in the background, one look at a time, and
 * only the very first call waits for it.
 */
function readiness(link: NatsLink, timeoutMs: number): () => Promise<boolean> {
  let streamSeen = false;
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  const check = () =>
    (checking ??= (async () => {
      try {
        const jsm = await jetstreamManager(link.nc, { timeout: timeoutMs, checkAPI: false });
        await jsm.streams.info(EVENTS_STREAM);
        streamSeen = true;
      } catch {
        streamSeen = false;
      } finally {
        checkedAt = Date.now();
        checking = undefined;
      }
    })());
  return async () => {
    if (!link.connected()) return false;
    if (Date.now() - checkedAt >= READY_CHECK_MS) {
      const looking = check();
      if (checkedAt === -Infinity) await looking;
    }
    return streamSeen && link.connected();
  };
}

/** Bytes a message may reach: well under nats-server's max_payload (1 MiB by default). */
const MAX_MESSAGE_BYTES = 256 * 1024;

const defer: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

export function createPublisher(link: NatsLink, opts: PublisherOptions): Publisher {
  const prefix = `${link.inbox()}.`;
  // Insertion order is deadline order (one timeout for all), so expiry stops at the first live wait.
  const waiting = new Map<string, { m: Open; deadline: number }>();
  const open = new Map<string, Open>();
  let next = 0;
  let flushScheduled = false;

  const settle = (key: string, err?: NotStored) => {
    const w = waiting.get(key);
    if (!w) return;
    waiting.delete(key);
    const { calls, indexes } = w.m;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      call.results[indexes[i]!] = err;
      if (--call.left === 0) call.resolve(call.results);
    }
  };
  link.nc.subscribe(`${prefix}*`, {
    callback: (_err, msg: Msg) => {
      const key = msg.subject.slice(prefix.length);
      // No stream listens on the subject (or, in a cluster, none has a leader right now): a 503 status, no ack.
      if (msg.headers?.hasError)
        return settle(
          key,
          notStored('no-stream', `JetStream did not store it: ${msg.headers.code} ${msg.headers.description}`),
        );
      const reply = msg.json<PubAckReply>();
      if ('error' in reply)
        return settle(
          key,
          notStored('refused', `JetStream refused it: ${reply.error.description ?? reply.error.code}`),
        );
      settle(key);
    },
  });

  const send = (m: Open) => {
    open.delete(m.subject);
    const key = (next++).toString(36);
    waiting.set(key, { m, deadline: Date.now() + opts.timeoutMs });
    if (!link.connected()) return settle(key, notStored('disconnected', 'NATS is disconnected'));
    const h = headers();
    h.set('Nats-Msg-Id', messageIdOf(m.ids));
    for (const [name, value] of m.headers) h.append(name, value);
    try {
      link.nc.publish(m.subject, packLines(m.lines, m.bytes), { reply: prefix + key, headers: h });
    } catch (cause) {
      settle(
        key,
        notStored(link.nc.isClosed() ? 'closed' : 'disconnected', `publish failed: ${(cause as Error).message}`),
      );
    }
  };
  const flush = () => {
    flushScheduled = false;
    for (const m of open.values()) send(m);
  };

  const failAll = (why: NotStored) => {
    for (const key of [...waiting.keys()]) settle(key, why);
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [key, w] of waiting) {
        if (w.deadline > now) break;
        settle(key, notStored('timeout', `JetStream did not acknowledge within ${opts.timeoutMs} ms`));
      }
      if (!link.connected()) failAll(notStored('disconnected', 'NATS is disconnected'));
    },
    Math.min(100, opts.timeoutMs),
  );
  sweep.unref?.();
  link.nc.closed().then(() => {
    clearInterval(sweep);
    flush();
    failAll(notStored('closed', 'NATS connection closed'));
  });

  return {
    publish(events, extra) {
      if (events.length === 0) return Promise.resolve([]);
      if (!link.connected())
        return Promise.resolve(events.map(() => notStored('disconnected', 'NATS is disconnected')));
      let call!: Call;
      const done = new Promise<Result[]>(
        (resolve) => (call = { results: new Array(events.length), left: events.length, resolve }),
      );
      events.forEach(({ subject, line, id }, index) => {
        const bytes = utf8Length(line) + 1;
        let m = open.get(subject);
        if (m && m.bytes + bytes > MAX_MESSAGE_BYTES) (send(m), (m = undefined));
        if (!m) {
          m = { subject, lines: [], ids: [], bytes: 0, headers: [], calls: [], indexes: [] };
          open.set(subject, m);
          if (!flushScheduled) ((flushScheduled = true), defer(flush));
        }
        m.lines.push(line);
        m.ids.push(id);
        m.bytes += bytes;
        m.calls.push(call);
        m.indexes.push(index);
        for (const name in extra) m.headers.push([name, extra[name]!]);
        if (m.ids.length >= opts.maxEventsPerMessage) send(m);
      });
      return done;
    },
    ready: readiness(link, opts.timeoutMs),
  };
}
