// `npm run bench -- cluster`: the end-to-end run of e2e.ts on one machine's worth of clusters — 3 NATS nodes with
// R3 streams, ClickHouse as 2 shards × 2 replicas with ZooKeeper — beside the single-node run, on the same cores.
import { run, type Run } from './e2e.ts';
import { progress, writeSection } from './results.ts';

export async function cluster(opts: { seconds?: number } = {}): Promise<void> {
  const seconds = opts.seconds ?? 20;
  let done = 0;
  const step = () => progress('cluster', ++done, 4);
  progress('cluster', 0, 4);
  const single: Run = await run(1, seconds, step);
  const clustered: Run = await run(1, seconds, step, true);
  const cpu = (r: Run, kind: string) => (r.cpu[kind] === undefined ? '–' : r.cpu[kind]!.toFixed(2));
  const row = (name: string, r: Run) =>
    `| ${name} | ${r.accepted} | ${r.landed} | **${Math.round(r.landed / r.drainedSeconds)}** | ` +
    `${r.drainedSeconds.toFixed(1)} | ≤ ${r.p50} s | ≤ ${r.p99} s | ${r.retries} | ${cpu(r, 'collector')} | ` +
    `${cpu(r, 'sink')} | ${cpu(r, 'nats-server')} | ${cpu(r, 'clickhouse-server')} | ${cpu(r, 'zookeeper')} |`;
  const table = [
    '| topology | accepted events | landed events | landed/s | all landed after s | lag p50 | lag p99 | ' +
      'insert retries | CPU collector | CPU sink | CPU nats-server (all) | CPU clickhouse (all) | CPU zookeeper |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('1 NATS, 1 ClickHouse', single),
    row('3 NATS (R3), ClickHouse 2 shards × 2 replicas + ZooKeeper', clustered),
  ].join('\n');
  console.log(`\n${table}`);
  writeSection(
    'cluster',
    'Clusters: 3 NATS nodes and a replicated, sharded ClickHouse, end to end',
    'npm run bench -- cluster',
    `The e2e run (one collector, autocannon \`-c 50\` for ${seconds} s posting 100-event batches, then waiting until ` +
      `the sink
has acked everything) twice on the same 2 cores: on one nats-server and one clickhouse-server, then on a 3-node NATS
cluster (nats-server 2.10.27 from Debian trixie, streams and consumer R3) and a ClickHouse cluster of 2 shards × 2
replicas (four 18.16 servers, one ZooKeeper), \`CLICKHOUSE_CLUSTER\` set: the sink inserts through the Distributed
tables synchronously. Columns as in *End to end*; CPU of NATS and ClickHouse is the sum over their nodes, so 1.00 is
one core.

${table}`,
  );
}
