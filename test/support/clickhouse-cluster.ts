// A ClickHouse cluster on loopback: Debian's 18.16 clickhouse-server, `shards` × `replicas` processes (named
// s1r1, s1r2, s2r1…), replicating through one ZooKeeper, all in cluster `edge_events` with internal_replication
// (a Distributed insert writes one replica of a shard; replication copies it to the others). ZooKeeper sessions
// are 2 s, so a replica notices a dead or returned ZooKeeper within seconds. stop() stops ClickHouse before
// ZooKeeper (the other way round, each server waits out its session).
import { join } from 'node:path';
import { clickHousePorts, startClickHouseServer, type ClickHouseServer } from './clickhouse-server.ts';
import { startZooKeeper, type ZooKeeper } from './zookeeper.ts';

export interface ClickHouseCluster {
  readonly name: string;
  /** The entry node's HTTP URL (s1r1): where the pipeline's CLICKHOUSE_URL points. */
  readonly url: string;
  readonly zookeeper: ZooKeeper;
  readonly nodes: readonly ClickHouseServer[];
  readonly names: readonly string[];
  node(name: string): ClickHouseServer;
  stop(): Promise<void>;
}

export const CLICKHOUSE_CLUSTER = 'edge_events';

export async function startClickHouseCluster(
  dir: string,
  size: { shards: number; replicas: number } = { shards: 2, replicas: 2 },
): Promise<ClickHouseCluster> {
  const zookeeper = await startZooKeeper(join(dir, 'zookeeper'));
  const layout = Array.from({ length: size.shards }, (_, s) =>
    Array.from({ length: size.replicas }, (_, r) => ({ shard: s + 1, name: `s${s + 1}r${r + 1}` })),
  );
  const members = await Promise.all(layout.flat().map(async (m) => ({ ...m, ports: await clickHousePorts() })));
  const remote = layout
    .map(
      (replicas) =>
        '<shard><internal_replication>true</internal_replication>' +
        replicas
          .map((r) => members.find((m) => m.name === r.name)!)
          .map((m) => `<replica><host>127.0.0.1</host><port>${m.ports.tcp}</port></replica>`)
          .join('') +
        '</shard>',
    )
    .join('\n');
  const config = (m: (typeof members)[number]) => `
<zookeeper>
  <node><host>127.0.0.1</host><port>${zookeeper.port}</port></node>
  <session_timeout_ms>2000</session_timeout_ms>
  <operation_timeout_ms>2000</operation_timeout_ms>
</zookeeper>
<remote_servers><${CLICKHOUSE_CLUSTER}>
${remote}
</${CLICKHOUSE_CLUSTER}></remote_servers>
<macros><shard>${m.shard}</shard><replica>${m.name}</replica></macros>`;
  let nodes: ClickHouseServer[];
  try {
    nodes = await Promise.all(
      members.map((m) => startClickHouseServer({ dir: join(dir, m.name), ports: m.ports, extraConfig: config(m) })),
    );
  } catch (err) {
    await zookeeper.stop();
    throw err;
  }
  const names = members.map((m) => m.name);
  return {
    name: CLICKHOUSE_CLUSTER,
    url: nodes[0]!.url,
    zookeeper,
    nodes,
    names,
    node(name) {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`no ClickHouse node ${name}`);
      return nodes[i]!;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await zookeeper.stop();
    },
  };
}
