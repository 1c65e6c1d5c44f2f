// `npm run bench -- e2e`: sustained load through collector → JetStream → sink → ClickHouse (the
// server): events landed per second, end-to-end lag percentiles, CPU of every process.
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { applyStreams, processEnv, startServices, waitUntilAcked, spawnService } from '../test/support/mod.ts';
import { startCollectors } from './collectors.ts';
import { BATCH } from './http.ts';
import { autocannon, cpuSeconds } from './measure.ts';
import { progress, writeSection } from './results.ts';

/** The `q` quantile's upper bound from a Prometheus histogram's cumulative buckets. */
function quantile(metrics: string, name: string, q: number): number {
  const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm'))].map(
    (m) => [Number(m[1]), Number(m[2])] as const,
  );
  const total = buckets.at(-1)?.[1] ?? 0;
  return buckets.find(([, n]) => n >= q * total)?.[0] ?? NaN;
}

export interface Run {
  collectors: number;
  accepted: number;
  landed: number;
  loadSeconds: number;
  drainedSeconds: number;
  p50: number;
  p99: number;
  retries: number;
  cpu: Record<string, number>;
}

/**
 * One run on fresh servers with `collectors` collector processes sharing the port; `clustered`: a 3-node NATS
 * cluster with R3 streams and a ClickHouse cluster of 2 shards × 2 replicas with ZooKeeper (CPU summed per kind).
 */
export async function run(collectors: number, seconds: number, step: () => void, clustered = false): Promise<Run> {
  const services = await startServices('server', { natsCluster: clustered, clickhouseCluster: clustered });
  const env = await processEnv(services, clustered ? { STREAM_REPLICAS: '3' } : {});
  const cfg = services.config(env);
  await applyStreams(cfg);
  const sink = await spawnService('sink', env, services.dir);
  const front = await startCollectors(collectors, env, services.dir);
  const natsCluster = services.natsCluster;
  const chCluster = services.clickhouseCluster;
  const pids: Record<string, number[]> = {
    collector: front.pids,
    sink: [sink.pid],
    'nats-server': natsCluster ? ['n1', 'n2', 'n3'].map((n) => natsCluster.node(n).pid) : [services.nats.pid],
    'clickhouse-server': chCluster ? chCluster.nodes.map((n) => n.pid) : [services.clickhouse!.pid],
    ...(chCluster ? { zookeeper: [chCluster.zookeeper.pid] } : {}),
  };
  const cpuOf = (name: string) => pids[name]!.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  try {
    const cpu0: Record<string, number> = Object.fromEntries(Object.keys(pids).map((k) => [k, cpuOf(k)]));
    const t0 = Date.now();
    const load = await autocannon(`http://127.0.0.1:${env.PORT}/v1/events`, BATCH, { seconds, connections: 50 });
    const loadSeconds = (Date.now() - t0) / 1000;
    step();
    await waitUntilAcked(services.nats.url, 300_000);
    const drainedSeconds = (Date.now() - t0) / 1000;
    const cpu = Object.fromEntries(Object.keys(pids).map((k) => [k, (cpuOf(k) - cpu0[k]!) / drainedSeconds]));
    const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
    const rs = await ch.client.query({
      query: "SELECT uniqExact(event_id) AS n FROM edge_events.events WHERE event = 'page_view'",
      format: 'JSONEachRow',
    });
    const landed = Number((await rs.json<{ n: string }>())[0]!.n);
    await ch.close();
    const metrics = await (await fetch(`http://127.0.0.1:${env.SINK_PORT}/metrics`)).text();
    // Held batches retried (a refused or failed insert): what a long drain would come from.
    const retries = Number(/^edge_events_sink_retries_total\{consumer="sink"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    step();
    return {
      collectors,
      accepted: (load.total - load.non2xx) * 100,
      landed,
      loadSeconds,
      drainedSeconds,
      p50: quantile(metrics, 'edge_events_end_to_end_lag_seconds', 0.5),
      p99: quantile(metrics, 'edge_events_end_to_end_lag_seconds', 0.99),
      retries,
      cpu,
    };
  } finally {
    await front.terminate();
    await sink.terminate();
    await services.cleanup();
  }
}

export async function e2e(opts: { seconds?: number } = {}): Promise<void> {
  const seconds = opts.seconds ?? 20;
  const counts = [1, 2];
  let done = 0;
  const step = () => progress('e2e', ++done, counts.length * 2);
  progress('e2e', 0, counts.length * 2);
  const runs: Run[] = [];
  for (const n of counts) runs.push(await run(n, seconds, step));
  const table = [
    '| collector processes | accepted events | landed events | load s | landed/s | all landed after s | lag p50 | ' +
      'lag p99 | insert retries | CPU collectors | CPU sink | CPU nats-server | CPU clickhouse |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.collectors} | ${r.accepted} | ${r.landed} | ${r.loadSeconds.toFixed(1)} | ` +
        `**${Math.round(r.landed / r.drainedSeconds)}** | ${r.drainedSeconds.toFixed(1)} | ≤ ${r.p50} s | ` +
        `≤ ${r.p99} s | ${r.retries} | ${r.cpu.collector!.toFixed(2)} | ${r.cpu.sink!.toFixed(2)} | ` +
        `${r.cpu['nats-server']!.toFixed(2)} | ${r.cpu['clickhouse-server']!.toFixed(2)} |`,
    ),
  ].join('\n');
  console.log(`\n${table}`);
  writeSection(
    'e2e',
    'End to end: collector → JetStream → sink → ClickHouse',
    'npm run bench -- e2e',
    `nats-server, clickhouse-server (18.16), the sink and the collector each run as their own process on the ` +
      `same 2 cores; the
second row runs two collector processes on the same port (SO_REUSEPORT: the kernel spreads connections over them), as
replicas scale out. autocannon (\`-c 50\`, ${seconds} s) posts 100-event batches. After the load, the run waits ` +
      `until the
sink has acked everything; *landed* counts distinct event_ids in ClickHouse (it can exceed *accepted* by the last
in-flight requests, which autocannon does not count); *landed/s* is that ÷ time from the first request until the last
ack. Lag is from each event's arrival in the stream (the collector's received_at plus its publish) to its committed
insert, read from the sink's \`edge_events_end_to_end_lag_seconds\` histogram, so it is reported as the upper bound of
its bucket. CPU is each process's user+system time ÷ the same span, so 1.00 is one core (collectors: their sum).

${table}`,
  );
}
