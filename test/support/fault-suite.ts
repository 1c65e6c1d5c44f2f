// The fault suite: under a steady client load, kill -9 one part of the pipeline (sink, collector,
// nats-server or clickhouse-server), start it again on the same ports and data, then check event by
// event what landed. `npm test` runs it small; `npm run bench -- faults` runs it at 200,000 events. The cluster
// faults run on a 3-node NATS cluster with R3 streams and a ClickHouse cluster (2 shards × 2 replicas, ZooKeeper):
// kill -9 the node leading stream EVENTS, the one leading the sink's consumer, the ClickHouse replica taking the
// inserts of shard 2 (mid-insert), or ZooKeeper, and bring it back after a few seconds; afterwards the replicas of
// every shard must hold the same rows.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectClickHouse } from '../../shared/clickhouse/mod.ts';
import { DLQ_STREAM, EVENTS_STREAM, SINK_CONSUMER, throughElection } from '../../streams/mod.ts';
import { applyStreams, processEnv, startServices, waitFor, waitUntilAcked } from './harness.ts';
import { runLoad, type LoadResult } from './load.ts';
import { spawnService } from './processes.ts';
import { checkLanding } from './verify.ts';
import type { ClickHouseCluster } from './clickhouse-cluster.ts';
import { askNode as ask } from './clickhouse-server.ts';

export const FAULTS = ['sink', 'collector', 'nats', 'clickhouse'] as const;
export const CLUSTER_FAULTS = [
  'nats-stream-leader',
  'nats-consumer-leader',
  'clickhouse-replica',
  'zookeeper',
] as const;
export type Fault = (typeof FAULTS)[number] | (typeof CLUSTER_FAULTS)[number];
const isClusterFault = (f: Fault) => (CLUSTER_FAULTS as readonly string[]).includes(f);

export interface FaultSize {
  events: number;
  batch: number;
  concurrency: number;
}

export interface FaultReport {
  fault: Fault;
  events: number;
  accepted: number;
  rejected: number;
  unanswered: number;
  /** 503 answers the load retried; requests with no answer within 10 s. */
  unavailable: number;
  timeouts: number;
  /** The node killed (cluster faults). */
  node?: string;
  /** Batches the sink held and retried (its metric, since its last start). */
  retries: number;
  /** Cluster faults: shards whose replicas hold different rows of the load once replication caught up. */
  replicasApart?: number;
  lost: number;
  duplicated: number;
  leaked: number;
  deadLettered: number;
  extraRows: number;
  /** When the kill happened, as a share of the events accepted by then. */
  killedAt: number;
  /** For the sink: whether an INSERT was running in ClickHouse at the moment of the kill. */
  midInsert?: boolean;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFaultScenario(
  fault: Fault,
  size: FaultSize,
  onProgress?: (done: number) => void,
): Promise<FaultReport> {
  const started = Date.now();
  const cluster = isClusterFault(fault);
  const services = await startServices('server', { natsCluster: cluster, clickhouseCluster: cluster });
  const env = await processEnv(services, {
    SINK_ACK_WAIT_SECONDS: '3',
    SINK_RETRY_BASE_MS: '200',
    SINK_RETRY_MAX_MS: '2000',
    ...(cluster ? { STREAM_REPLICAS: '3' } : {}),
  });
  const cfg = services.config(env);
  // What started is stopped again when a later step fails, so a failed start leaves no server behind.
  const { sink, collector } = await (async () => {
    try {
      await applyStreams(cfg);
      const sink = await spawnService('sink', env, services.dir);
      try {
        return { sink, collector: await spawnService('collector', env, services.dir) };
      } catch (err) {
        await sink.terminate().catch(() => {});
        throw err;
      }
    } catch (err) {
      await services.cleanup();
      throw err;
    }
  })();
  const tag = `fault_${fault.replaceAll('-', '_')}`;
  let killedAt = -1;
  let midInsert: boolean | undefined;
  let node: string | undefined;
  let faultDone: Promise<void> = Promise.resolve();

  const inject = async () => {
    if (fault === 'sink') midInsert = await insertRunning(services.clickhouse!.url, 5000);
    if (fault === 'sink' || fault === 'collector') {
      const proc = fault === 'sink' ? sink : collector;
      await proc.kill();
      await sleep(1000);
      await proc.start();
    } else if (fault === 'clickhouse-replica' || fault === 'zookeeper') {
      const { clickhouseCluster: chc } = services;
      // With load_balancing in_order, s2r1 takes shard 2's part of every insert the entry node s1r1 distributes.
      node = fault === 'zookeeper' ? 'zookeeper' : 's2r1';
      const server = fault === 'zookeeper' ? chc!.zookeeper : chc!.node(node);
      if (fault === 'clickhouse-replica') midInsert = await insertRunning(chc!.node(node).url, 5000);
      await server.kill();
      await sleep(5000);
      await server.restart();
    } else if (services.natsCluster) {
      const consumer = fault === 'nats-consumer-leader' ? SINK_CONSUMER : undefined;
      node = await services.natsCluster.leaderOf(EVENTS_STREAM, consumer);
      const leader = services.natsCluster.node(node);
      await leader.kill();
      // Down long enough for the others to elect a new leader and carry on without it.
      await sleep(5000);
      await leader.restart();
    } else {
      const server = fault === 'nats' ? services.nats : services.clickhouse!;
      await server.kill();
      await sleep(1000);
      await server.restart();
    }
  };
  try {
    const load: LoadResult = await runLoad(
      {
        url: `http://127.0.0.1:${env.PORT}`,
        tag,
        total: size.events,
        batch: size.batch,
        concurrency: size.concurrency,
        invalidEvery: 97,
      },
      (r) => {
        const done = r.accepted.size + r.rejected.size;
        onProgress?.(done);
        if (killedAt < 0 && done >= size.events * 0.3) {
          killedAt = done / size.events;
          faultDone = inject();
        }
      },
    );
    await faultDone;

    await waitUntilAcked(services.nats.url, 120_000).catch((err: Error) => {
      const tail = sink.log().trim().split('\n').slice(-15).join('\n');
      throw new Error(`${err.message}; the sink's last lines:\n${tail}`, { cause: err });
    });
    const nc = await connect({ servers: services.nats.url.split(',') });
    const deadLettered = await throughElection(
      async () => (await (await jetstreamManager(nc, { timeout: 5000 })).streams.info(DLQ_STREAM)).state.messages,
    );
    await nc.close();

    const metrics = await (await fetch(`http://127.0.0.1:${env.SINK_PORT}/metrics`)).text();
    const retries = Number(/^edge_events_sink_retries_total\{consumer="sink"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
    const landing = await checkLanding(ch.client, ch.database, tag, load);
    await ch.close();
    const replicasApart = services.clickhouseCluster
      ? await replicasApartIn(services.clickhouseCluster, cfg.clickhouse.database, tag)
      : undefined;
    return {
      fault,
      events: size.events,
      accepted: load.accepted.size,
      rejected: load.rejected.size,
      unanswered: load.unanswered.size,
      unavailable: load.unavailable,
      timeouts: load.timeouts,
      node,
      replicasApart,
      retries,
      lost: landing.lost.length,
      duplicated: landing.duplicated.length,
      leaked: landing.leaked.length,
      deadLettered,
      extraRows: landing.extraRows,
      killedAt,
      midInsert,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await faultDone.catch(() => {});
    await collector.terminate().catch(() => {});
    await sink.terminate().catch(() => {});
    await services.cleanup();
  }
}

/** How many shards have replicas that disagree on the load's rows, once each replica has caught up. */
async function replicasApartIn(cluster: ClickHouseCluster, db: string, tag: string): Promise<number> {
  const counts = new Map<string, Set<string>>();
  for (const [i, name] of cluster.names.entries()) {
    const url = cluster.nodes[i]!.url;
    // Asked again while the replica renews a ZooKeeper session that expired during the fault.
    await waitFor(
      `${name} to catch up`,
      () => ask(url, `SYSTEM SYNC REPLICA ${db}.events_local`).then(() => true),
      60_000,
    );
    const n = await ask(url, `SELECT count() FROM ${db}.events_local FINAL WHERE event = '${tag}'`);
    const shard = name.replace(/r\d+$/, '');
    counts.set(shard, (counts.get(shard) ?? new Set()).add(n));
  }
  return [...counts.values()].filter((ns) => ns.size > 1).length;
}

/** Polls ClickHouse until an INSERT is executing (true) or the time is up (false). */
async function insertRunning(url: string, withinMs: number): Promise<boolean> {
  const query = "SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO%'";
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    const res = await fetch(url, { method: 'POST', body: query }).catch(() => undefined);
    if (res && Number((await res.text()).trim()) > 0) return true;
  }
  return false;
}

export function reportTable(reports: FaultReport[]): string {
  const head =
    '| kill -9 | events | accepted (2xx) | refused (4xx) | unanswered | 503 retried | no answer in 10 s | ' +
    'insert retries | lost | ' +
    'duplicated | refused yet stored | dead-lettered | extra physical rows | killed at | seconds |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = reports.map(
    (r) =>
      `| ${r.fault}${r.midInsert ? ' (mid-insert)' : ''}${r.node ? ` (${r.node})` : ''} | ${r.events} | ` +
      `${r.accepted} | ${r.rejected} | ${r.unanswered} | ${r.unavailable} | ${r.timeouts} | ${r.retries} | ` +
      `**${r.lost}** | ` +
      `**${r.duplicated}** | ${r.leaked} | ${r.deadLettered} | ${r.extraRows} | ${Math.round(r.killedAt * 100)}% | ` +
      `${r.seconds.toFixed(1)} |`,
  );
  return [head, rule, ...rows].join('\n');
}
