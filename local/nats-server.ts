// Runs Debian's nats-server with JetStream on loopback, its store in a folder we own. Port -1 picks a
// free port; restart() reuses the same port and store, as a crashed server coming back would. As a member of a
// cluster it takes a server name, a cluster port and its peers' routes, and may be another build (`binary`). With a
// configuration file (the users of local/nats-users.ts) it reads the variables that file names from `env`.
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from './process.ts';

export interface NatsServer extends ServerControl {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
}

interface ClusterMember {
  /** The server's name (JetStream's peer name: leaders are named by it). */
  name: string;
  cluster: string;
  /** The port routes from peers connect to. */
  port: number;
  /** The peers' cluster ports. */
  routes: number[];
}

export async function startNatsServer(opts: {
  dir: string;
  port?: number;
  detached?: boolean;
  /** The nats-server executable (default: the one on PATH). */
  binary?: string;
  cluster?: ClusterMember;
  /** A nats.conf (e.g. its users and their permissions) and the environment its variables come from. */
  config?: { file: string; env: Record<string, string> };
}): Promise<NatsServer> {
  mkdirSync(opts.dir, { recursive: true });
  let port = opts.port ?? -1;
  let proc: OwnedProcess;

  const launch = async () => {
    for (const f of readdirSync(opts.dir)) if (f.endsWith('.ports')) rmSync(join(opts.dir, f));
    // -sd: JetStream store; -ports_file_dir: where the server writes the port it bound.
    const c = opts.cluster;
    const cluster = c
      ? [
          ...['--name', c.name, '--cluster_name', c.cluster, '--cluster', `nats://127.0.0.1:${c.port}`],
          ...['--routes', c.routes.map((r) => `nats://127.0.0.1:${r}`).join(',')],
        ]
      : [];
    proc = spawnOwned(
      opts.binary ?? 'nats-server',
      [
        ...['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(opts.dir, 'store')],
        ...['-ports_file_dir', opts.dir, ...cluster],
        ...(opts.config ? ['-c', opts.config.file] : []),
      ],
      join(opts.dir, 'nats-server.log'),
      { detached: opts.detached, ...(opts.config ? { env: { ...process.env, ...opts.config.env } } : {}) },
    );
    const early = proc.exited.then((code) => {
      throw new Error(`nats-server exited (${code}); see ${join(opts.dir, 'nats-server.log')}`);
    });
    const ready = waitFor('nats-server ports file', async () => {
      const file = readdirSync(opts.dir).find((f) => f === `nats-server_${proc.pid}.ports`);
      if (!file) return undefined;
      const url: string | undefined = JSON.parse(readFileSync(join(opts.dir, file), 'utf8')).nats?.[0];
      return url ? Number(new URL(url).port) : undefined;
    });
    port = await Promise.race([ready, early]);
  };

  await launch();
  // Read on each use: with -p -1 the port is known only once the server has bound it (a restart reuses it).
  return Object.defineProperties(
    serverControl(() => proc, launch),
    {
      url: { get: () => `nats://127.0.0.1:${port}`, enumerable: true },
      port: { get: () => port, enumerable: true },
      dir: { value: opts.dir, enumerable: true },
    },
  ) as NatsServer;
}
