// One NATS connection per process: reconnects forever with jitter, and reports its state so callers
// can fail fast while it is down. Wire: NATS client protocol over TCP.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../shared/mod.ts';

export type { NatsConnection };

export interface NatsLink {
  readonly nc: NatsConnection;
  /** False between a disconnect and the next reconnect. */
  connected(): boolean;
}

export async function connectNats(url: string, name: string, log: Logger): Promise<NatsLink> {
  const nc = await connect({
    servers: url.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 250,
    pingInterval: 5_000,
    maxPingOut: 2,
  });
  let up = true;
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        if (up) log.warn({ server: s.server }, 'nats disconnected');
        up = false;
      } else if (s.type === 'reconnect') {
        up = true;
        log.info({ server: s.server }, 'nats reconnected');
      }
    }
  })().catch(() => {});
  return { nc, connected: () => up && !nc.isClosed() };
}
