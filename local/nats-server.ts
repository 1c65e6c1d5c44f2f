// Runs Debian's nats-server with JetStream on loopback, its store in a folder we own. Port -1 picks a
// free port; restart() reuses the same port and store, as a crashed server coming back would. As a member of a
// cluster it takes a server name, a cluster port and its peers' routes, and may be another build (`binary`). With a
// configuration file (the users of local/nats-users.ts) it reads the variables that file names from `env`. At the
// edge it has a JetStream domain of its own and either accepts leaf connections (the hub) or makes one to the hub (a
// point of presence), which carries no events either way: the hub sources them from the POP's stream instead.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SUBJECTS } from '../shared/mod.ts';
import { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from './process.ts';

export interface NatsServer extends ServerControl {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The port leaf connections come to (a hub's, see Edge). */
  readonly leafPort?: number;
}

/** A server at the edge: its JetStream domain, and its side of the leaf connection. */
interface Edge {
  domain: string;
  /** The hub: accepts leaf connections, on a port picked at the first start and kept on restarts; `advertise`: the
   *  address leaves reach it at, which it tells them to reconnect to (else its own: nats-server before 2.15 tells
   *  it even with no_advertise, so a leaf behind a proxy would reconnect around it). */
  leaves?: { advertise?: string };
  /** A point of presence: the hub's leaf URL (nats-leaf://host:port) it connects to. */
  hub?: string;
}

/** The configuration file of an edge server. The leaf connection denies `events.>` both ways: a POP's events reach
 *  the hub only through the hub stream's source (once), and the hub's never reach a POP's stream. */
function edgeConfig(edge: Edge, leafPort: number): string {
  const deny = JSON.stringify([EVENT_SUBJECTS]);
  const leaf = edge.leaves
    ? `leafnodes { listen: "127.0.0.1:${leafPort}"` +
      `${edge.leaves.advertise ? `, advertise: ${JSON.stringify(edge.leaves.advertise)}` : ''} }`
    : edge.hub
      ? `leafnodes { reconnect: "1s", remotes: [ { url: ${JSON.stringify(edge.hub)}, deny_exports: ${deny}, ` +
        `deny_imports: ${deny} } ] }`
      : '';
  return `jetstream { domain: ${JSON.stringify(edge.domain)} }\n${leaf}\n`;
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
  /** A JetStream domain and a leaf connection (not with `config`). */
  edge?: Edge;
}): Promise<NatsServer> {
  mkdirSync(opts.dir, { recursive: true });
  if (opts.edge && opts.config) throw new Error('startNatsServer: an edge server takes no other configuration file');
  let port = opts.port ?? -1;
  let leafPort = -1;
  const edgeFile = join(opts.dir, 'edge.conf');
  let proc: OwnedProcess;

  const launch = async () => {
    for (const f of readdirSync(opts.dir)) if (f.endsWith('.ports')) rmSync(join(opts.dir, f));
    if (opts.edge) writeFileSync(edgeFile, edgeConfig(opts.edge, leafPort));
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
        ...(opts.config ? ['-c', opts.config.file] : opts.edge ? ['-c', edgeFile] : []),
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
    // The leaf port is not in the ports file: the log says it.
    if (opts.edge?.leaves && leafPort === -1) {
      const log = join(opts.dir, 'nats-server.log');
      const pattern = /Listening for leafnode connections on 127\.0\.0\.1:(\d+)/;
      leafPort = await waitFor(
        'the leaf port',
        async () => Number(pattern.exec(readFileSync(log, 'utf8'))?.[1]) || undefined,
      );
    }
  };

  await launch();
  // Read on each use: with -p -1 the port is known only once the server has bound it (a restart reuses it).
  return Object.defineProperties(
    serverControl(() => proc, launch),
    {
      url: { get: () => `nats://127.0.0.1:${port}`, enumerable: true },
      port: { get: () => port, enumerable: true },
      dir: { value: opts.dir, enumerable: true },
      leafPort: { get: () => (leafPort === -1 ? undefined : leafPort), enumerable: true },
    },
  ) as NatsServer;
}
