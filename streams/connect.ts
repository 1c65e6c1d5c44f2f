// One NATS connection per process: as its role's NATS user (permissions.ts), over TLS when asked, waits for the server
// at start, reconnects forever with jitter, and reports its state so callers can fail fast while it is down. Wire:
// NATS client protocol over TCP (TLS with NATS_CA_FILE or tls:// URLs), user and password in CONNECT.
import { connect, createInbox, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUnreachable, redactUrl } from '../shared/mod.ts';
import { ConfigError, type Config } from '../shared/config/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { inboxPrefixOf, type NatsRole } from './permissions.ts';

export type { NatsConnection };

export interface NatsLink {
  readonly nc: NatsConnection;
  /** False between a disconnect and the next reconnect. */
  connected(): boolean;
  /** A new reply subject among this connection's inboxes (the only ones its user may subscribe to). */
  inbox(): string;
}

/** Where and as whom a process connects: NATS_URL, NATS_USER, NATS_PASSWORD, NATS_CA_FILE (Config['nats']). */
export type NatsAccess = Partial<Config['nats']>;

/** The password `npm start` generated for a role's user (0600), which the tools run beside it read. */
export const localPasswordFile = (dataDir: string, role: NatsRole): string =>
  join(dataDir, 'nats', 'users', `${role}.password`);

/**
 * How a process of `role` connects: as configured; or, with neither NATS_URL nor NATS_USER set (a tool run beside
 * `npm start`, on its nats-server), as the role's user with the password `npm start` generated, if there is one.
 */
export function natsAccessOf(cfg: Pick<Config, 'nats' | 'dataDir'>, role: NatsRole): NatsAccess {
  const file = localPasswordFile(cfg.dataDir, role);
  if (cfg.nats.url || cfg.nats.user || !existsSync(file)) return cfg.nats;
  return { ...cfg.nats, user: role, password: readFileSync(file, 'utf8').trim() };
}

/** nats.js connection options for `access` (or a bare URL: a server without users). */
export function natsOptions(access: NatsAccess | string, name: string): ConnectionOptions & { servers: string[] } {
  const a: NatsAccess = typeof access === 'string' ? { url: access } : access;
  const servers = (a.url ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim());
  if (a.user && a.password === undefined) throw new ConfigError('NATS_USER is set: set NATS_PASSWORD too');
  // nats.js takes a tls:// URL for a plain one unless told to require TLS.
  const tls = a.caFile ? { caFile: a.caFile } : servers.some((s) => s.startsWith('tls://')) ? {} : undefined;
  return {
    servers,
    name,
    ...(a.user ? { user: a.user, pass: a.password, inboxPrefix: inboxPrefixOf(a.user) } : {}),
    ...(tls ? { tls } : {}),
  };
}

/**
 * Connects, and if NATS cannot be reached yet (it is starting beside us, or rolling), logs that once and
 * waits for it as for a reconnect, instead of failing: resolves once connected. `onWaiting`: called when it
 * starts waiting.
 */
export async function connectNats(
  access: NatsAccess | string,
  name: string,
  log: Logger,
  opts: { onWaiting?: () => void } = {},
): Promise<NatsLink> {
  const base = natsOptions(access, name);
  const { servers } = base;
  const url = servers.join(',');
  const options = {
    ...base,
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
    if (!isUnreachable(err))
      throw new Error(`cannot connect to NATS at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
    log.warn({ servers: servers.map(redactUrl), err: (err as Error).message }, 'NATS unreachable; waiting for it');
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
  const prefix = base.inboxPrefix;
  return { nc, connected: () => up && !nc.isClosed(), inbox: () => createInbox(prefix) };
}
