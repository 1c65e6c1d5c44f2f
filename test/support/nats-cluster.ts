// A 3-node NATS JetStream cluster on loopback: the nats-server the Kubernetes manifests deploy (Debian trixie's
// 2.10.x, fetched once by tools/nats-server-from.sh), each node with its own store, named n1…n3, routes to the
// others. Ready once a stream replicated on every node can be made. A node is killed and restarted by name, on the
// same ports and store, as a crashed pod coming back would; leaders are looked up by stream and consumer.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '../../local/mod.ts';
import { waitFor } from '../../local/mod.ts';
import { freePort } from './free-port.ts';

export interface NatsCluster {
  /** Every node's client URL, comma-separated (NATS_URL). */
  readonly url: string;
  readonly servers: readonly string[];
  readonly version: string;
  node(name: string): NatsServer;
  /** The server name of a stream's leader, or of a consumer's. */
  leaderOf(stream: string, consumer?: string): Promise<string>;
  stop(): Promise<void>;
}

export const natsServerBinary = (suite = 'trixie'): string =>
  execFileSync('bash', ['tools/nats-server-from.sh', suite], { encoding: 'utf8' }).trim();

/** A cluster that has not formed within 45 s is started once more on other ports; the error carries the nodes' logs. */
export async function startNatsCluster(dir: string, size = 3): Promise<NatsCluster> {
  try {
    return await startOnce(join(dir, 'a'), size);
  } catch (err) {
    console.error(`the NATS cluster did not form; starting it again: ${(err as Error).message}`);
    return startOnce(join(dir, 'b'), size);
  }
}

async function startOnce(dir: string, size: number): Promise<NatsCluster> {
  const binary = natsServerBinary();
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  const clientPorts = await Promise.all(Array.from({ length: size }, freePort));
  const clusterPorts = await Promise.all(Array.from({ length: size }, freePort));
  const names = clientPorts.map((_, i) => `n${i + 1}`);
  const nodes = await Promise.all(
    names.map((name, i) =>
      startNatsServer({
        dir: join(dir, name),
        port: clientPorts[i],
        binary,
        cluster: {
          name,
          cluster: 'edge-events',
          port: clusterPorts[i]!,
          routes: clusterPorts.filter((_, j) => j !== i),
        },
      }),
    ),
  );
  const servers = clientPorts.map((p) => `nats://127.0.0.1:${p}`);
  const withJsm = async <T>(use: (jsm: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>) => {
    const nc = await connect({ servers, timeout: 5000 });
    try {
      return await use(await jetstreamManager(nc, { timeout: 5000 }));
    } finally {
      await nc.close();
    }
  };
  // Ready when a stream on every node can be made: a meta leader, and every peer known to it (before that, an R3
  // stream is refused with "no suitable peers for placement").
  const formed = waitFor(
    'every node to take part in JetStream',
    () =>
      withJsm(async (jsm) => {
        await jsm.streams.add({ name: 'cluster_probe', subjects: ['cluster.probe'], num_replicas: size });
        return jsm.streams.delete('cluster_probe');
      }),
    45_000,
  );
  await formed.catch(async (err: Error) => {
    await Promise.all(nodes.map((n) => n.stop()));
    const logs = names.map((name) => {
      const log = readFileSync(join(dir, name, 'nats-server.log'), 'utf8')
        .trim()
        .split('\n')
        .slice(-4);
      return `${name}:\n  ${log.join('\n  ')}`;
    });
    throw new Error(`${err.message}\n${logs.join('\n')}`, { cause: err });
  });
  return {
    url: servers.join(','),
    servers,
    version,
    node(name) {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`no node ${name}`);
      return nodes[i]!;
    },
    // Asked again while the cluster is busy (a loaded machine, an election): a leader is there within seconds.
    leaderOf: (stream, consumer) =>
      waitFor(`the leader of ${stream}${consumer ? `/${consumer}` : ''}`, () =>
        withJsm(async (jsm) => {
          const info = consumer ? await jsm.consumers.info(stream, consumer) : await jsm.streams.info(stream);
          return info.cluster?.leader;
        }),
      ),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
