// One NATS connection per process: waits for the server at start, reconnects forever with jitter, and
// reports its state so callers can fail fast while it is down. Wire: NATS client protocol over TCP.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { isUnreachable } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';

export type { NatsConnection };

/** A server URL as logs may show it: credentials (`user:pass@`, `token@`) replaced, the rest kept. */
export const redactedServer = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/]*@/i, '$1***@');

export interface NatsLink {
  readonly nc: NatsConnection;
  /** False between a disconnect and the next reconnect. */
  connected(): boolean;
}

/**
 * Connects, and if NATS cannot be reached yet (it is starting beside us, or rolling), logs that once and
 * waits for it as for a reconnect, instead of failing: resolves once connected. `onWaiting`: called when it
 * starts waiting.
 */
export async function connectNats(
  url: string,
  name: string,
  log: Logger,
  opts: { onWaiting?: () => void } = {},
): Promise<NatsLink> {
  const servers = url.split(',').map((s) => s.trim());
  const options = {
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 250,
    pingInterval: 5_000,
    maxPingOut: 2,
  };
  let nc: NatsConnection;
  try {
    nc = await connect(options);
  } catch (err) {
    const shown = servers.map(redactedServer);
    if (!isUnreachable(err))
      throw new Error(`cannot connect to NATS at ${shown.join(',')}: ${(err as Error).message}`, { cause: err });
    log.warn({ servers: shown, err: (err as Error).message }, 'NATS unreachable; waiting for it');
    opts.onWaiting?.();
    nc = await connect({ ...options, waitOnFirstConnect: true });
    log.info({ server: nc.getServer() }, 'nats connected');
  }
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
