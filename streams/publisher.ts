// Publishes events to JetStream and resolves each only on the stream's own PubAck (so a 2xx is durable).
// Pipelined: a core publish with a reply subject under one inbox, acks matched as they arrive, one timer
// sweeping expired waits — far cheaper per event than a request/reply each.
// Wire: NATS PUB with headers (Nats-Msg-Id = event_id, traceparent), PubAck JSON on `<inbox>.<n>`.
import { createInbox, headers, type Msg } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsLink } from './connect.ts';
import { EVENTS_STREAM } from './definitions.ts';

export class PublishUnavailable extends Error {
  override name = 'PublishUnavailable';
}

export interface JetStreamPublisher {
  /** Resolves when JetStream stored the message (or already had its id); rejects with PublishUnavailable. */
  publish(subject: string, data: Uint8Array, msgId: string, headers?: Record<string, string>): Promise<void>;
  /** Connected, and the EVENTS stream exists. */
  ready(): Promise<boolean>;
}

interface Waiting {
  resolve(): void;
  reject(err: Error): void;
  deadline: number;
}

export function createPublisher(link: NatsLink, opts: { timeoutMs: number }): JetStreamPublisher {
  const prefix = `${createInbox()}.`;
  // Insertion order is deadline order (one timeout for all), so expiry stops at the first live wait.
  const waiting = new Map<string, Waiting>();
  let next = 0;

  const settle = (key: string, err?: Error) => {
    const w = waiting.get(key);
    if (!w) return;
    waiting.delete(key);
    if (err) w.reject(err);
    else w.resolve();
  };
  link.nc.subscribe(`${prefix}*`, {
    callback: (_err, msg: Msg) => {
      const key = msg.subject.slice(prefix.length);
      // No stream listens on the subject: the server answers with a 503 status instead of an ack.
      if (msg.headers?.hasError) return settle(key, new PublishUnavailable(`JetStream did not store it: ${msg.headers.code} ${msg.headers.description}`));
      const text = msg.string();
      if (!text.includes('"error"')) return settle(key);
      const error = (JSON.parse(text) as { error?: { description?: string } }).error;
      settle(key, new PublishUnavailable(`JetStream refused it: ${error?.description ?? text}`));
    },
  });
  const failAll = (why: string) => {
    for (const key of [...waiting.keys()]) settle(key, new PublishUnavailable(why));
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, w] of waiting) {
      if (w.deadline > now) break;
      settle(key, new PublishUnavailable(`JetStream did not acknowledge within ${opts.timeoutMs} ms`));
    }
    if (!link.connected()) failAll('NATS is disconnected');
  }, Math.min(100, opts.timeoutMs));
  sweep.unref?.();
  link.nc.closed().then(() => {
    clearInterval(sweep);
    failAll('NATS connection closed');
  });

  return {
    publish(subject, data, msgId, extra) {
      if (!link.connected()) return Promise.reject(new PublishUnavailable('NATS is disconnected'));
      const h = headers();
      h.set('Nats-Msg-Id', msgId);
      for (const key in extra) h.set(key, extra[key]!);
      const key = (next++).toString(36);
      return new Promise<void>((resolve, reject) => {
        waiting.set(key, { resolve, reject, deadline: Date.now() + opts.timeoutMs });
        try {
          link.nc.publish(subject, data, { reply: prefix + key, headers: h });
        } catch (cause) {
          settle(key, new PublishUnavailable(`publish failed: ${(cause as Error).message}`, { cause }));
        }
      });
    },
    async ready() {
      if (!link.connected()) return false;
      try {
        const jsm = await jetstreamManager(link.nc, { timeout: opts.timeoutMs });
        await jsm.streams.info(EVENTS_STREAM);
        return true;
      } catch {
        return false;
      }
    },
  };
}
