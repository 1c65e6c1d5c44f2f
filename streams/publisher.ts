// Publishes one event to JetStream and resolves only on the stream's PubAck (so a 2xx is durable).
// Wire: JetStream publish with header Nats-Msg-Id = event_id for server-side dedupe.
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
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

export function createPublisher(link: NatsLink, opts: { timeoutMs: number }): JetStreamPublisher {
  const js: JetStreamClient = jetstream(link.nc, { timeout: opts.timeoutMs });
  return {
    async publish(subject, data, msgId, extra) {
      if (!link.connected()) throw new PublishUnavailable('NATS is disconnected');
      let h: MsgHdrs | undefined;
      for (const key in extra) (h ??= headers()).set(key, extra[key]!);
      try {
        await js.publish(subject, data, { msgID: msgId, timeout: opts.timeoutMs, headers: h });
      } catch (cause) {
        throw new PublishUnavailable(`JetStream did not acknowledge: ${(cause as Error).message}`, { cause });
      }
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
