// Test harness: real nats-server and ClickHouse (server or embedded) in a temporary folder, the
// pipeline's processes started in-process against them, and helpers to read what landed.
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type RunningCollector } from '../../collector/mod.ts';
import { startSink, type RunningSink } from '../../sink/mod.ts';
import {
  applyConfiguredTopology,
  ARCHIVER_CONSUMER,
  eventsIn,
  EVENTS_STREAM,
  SINK_CONSUMER,
  throughElection,
} from '../../streams/mod.ts';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, waitFor, type NatsServer } from '../../local/mod.ts';
import { type Catalog } from '../../shared/mod.ts';
import { loadConfig, type Config } from '../../shared/config/mod.ts';
import { loadCatalogFiles } from '../../shared/node/mod.ts';
import { startClickHouseServer, type ClickHouseServer } from './clickhouse-server.ts';
import { freePort } from './free-port.ts';
import { startClickHouseCluster, type ClickHouseCluster } from './clickhouse-cluster.ts';
import { startNatsCluster, type NatsCluster } from './nats-cluster.ts';

export { waitFor };

export type Engine = 'server' | 'embedded';

export interface Services {
  dir: string;
  /** The nats-server; with a cluster, node n1 whose `url` names every node and whose stop() stops them all. */
  nats: NatsServer;
  natsCluster?: NatsCluster;
  /** The ClickHouse server; with a cluster, its entry node s1r1 (CLICKHOUSE_URL). */
  clickhouse?: ClickHouseServer;
  clickhouseCluster?: ClickHouseCluster;
  /** The configuration that points at these services (plus any overrides). */
  config(env?: Record<string, string>): Config;
  cleanup(): Promise<void>;
}

export async function startServices(
  engine: Engine | 'none' = 'server',
  opts: { natsCluster?: boolean; clickhouseCluster?: boolean } = {},
): Promise<Services> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-test-'));
  const natsCluster = opts.natsCluster ? await startNatsCluster(join(dir, 'nats')) : undefined;
  const clickhouseCluster = opts.clickhouseCluster
    ? await startClickHouseCluster(join(dir, 'clickhouse')).catch(async (err) => {
        await natsCluster?.stop();
        throw err;
      })
    : undefined;
  const nats: NatsServer = natsCluster
    ? Object.create(natsCluster.node('n1'), {
        url: { get: () => natsCluster.url },
        stop: { value: () => natsCluster.stop() },
      })
    : await startNatsServer({ dir: join(dir, 'nats') });
  const clickhouse = clickhouseCluster
    ? clickhouseCluster.nodes[0]
    : engine === 'server'
      ? await startClickHouseServer({ dir: join(dir, 'clickhouse') })
      : undefined;
  return {
    dir,
    nats,
    natsCluster,
    clickhouse,
    clickhouseCluster,
    config: (env = {}) =>
      loadConfig({
        NATS_URL: nats.url,
        CLICKHOUSE_URL: clickhouse?.url,
        CLICKHOUSE_CLUSTER: clickhouseCluster?.name,
        DATA_DIR: join(dir, 'data'),
        HOST: '127.0.0.1',
        PORT: '0',
        SINK_PORT: '0',
        ARCHIVE_PORT: '0',
        READER_PORT: '0',
        SINK_RETRY_BASE_MS: '200',
        SINK_RETRY_MAX_MS: '1000',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
        ...env,
      }),
    async cleanup() {
      await (clickhouseCluster ?? clickhouse)?.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment for the collector and sink as processes against `services`, on fixed free ports. */
export async function processEnv(
  services: Services,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    NATS_URL: services.nats.url,
    ...(services.clickhouse ? { CLICKHOUSE_URL: services.clickhouse.url } : {}),
    ...(services.clickhouseCluster ? { CLICKHOUSE_CLUSTER: services.clickhouseCluster.name } : {}),
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    SINK_PORT: String(await freePort()),
    ARCHIVE_PORT: String(await freePort()),
    DATA_DIR: join(services.dir, 'data'),
    ...extra,
  };
}

export async function applyStreams(cfg: Config): Promise<void> {
  // A cluster just formed may time out the first requests, and a server just started on a loaded machine has closed
  // a first connection (start-order): an apply can be repeated, on a new connection.
  for (let attempt = 1; ; attempt++) {
    const nc = await connect({ servers: cfg.nats.url!.split(',') });
    try {
      await throughElection(() => applyConfiguredTopology(nc, cfg, loadCatalogFiles(cfg.catalog.paths)));
      return;
    } catch (err) {
      if (!nc.isClosed() || attempt >= 3) throw err;
    } finally {
      await nc.close();
    }
  }
}

let shipped: Catalog | undefined;
/** The catalog the project ships (catalog/), compiled once. */
export const defaultCatalog = (): Catalog => (shipped ??= loadCatalogFiles('catalog'));

export interface Pipeline {
  url: string;
  collector: RunningCollector;
  sink: RunningSink;
  stop(): Promise<void>;
}

/** Streams applied, sink and collector started in this process against `services`. */
export async function startPipeline(services: Services, env: Record<string, string> = {}): Promise<Pipeline> {
  const cfg = services.config(env);
  await applyStreams(cfg);
  const sink = await startSink(cfg);
  const collector = await startCollector(cfg);
  const pipeline: Pipeline = {
    url: `http://127.0.0.1:${collector.port}`,
    collector,
    sink,
    // The pipeline's current parts: a test may have replaced the sink.
    async stop() {
      await pipeline.collector.stop();
      await pipeline.sink.stop();
    },
  };
  return pipeline;
}

export async function post(
  url: string,
  body: string | FormData | URLSearchParams,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const postJson = (url: string, value: unknown) =>
  post(url, JSON.stringify(value), { 'content-type': 'application/json' });

/** Rows of a query, as JSON objects. */
export async function rows<T = Record<string, unknown>>(sink: RunningSink, query: string): Promise<T[]> {
  const rs = await sink.clickhouse.client.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Waits until `query` (a count) reaches `expected`; returns the final count. */
export async function countReaches(
  sink: RunningSink,
  query: string,
  expected: number,
  timeoutMs = 20_000,
): Promise<number> {
  let last = -1;
  await waitFor(
    `${query} to reach ${expected} (last ${last})`,
    async () => {
      const [row] = await rows<{ n: string }>(sink, query);
      last = Number(row?.n ?? 0);
      return last >= expected ? true : undefined;
    },
    timeoutMs,
  ).catch(() => undefined);
  return last;
}

/** Waits until the consumer has nothing pending or awaiting an ack (everything delivered and acked). */
export async function waitUntilAcked(natsUrl: string, timeoutMs = 30_000, consumer = SINK_CONSUMER): Promise<void> {
  const nc = await connect({ servers: natsUrl.split(','), maxReconnectAttempts: -1 });
  try {
    await waitFor(
      `consumer ${consumer} to ack everything`,
      async () => {
        // Inside the probe: a cluster node just restarted may time out a request or two.
        const jsm = await jetstreamManager(nc, { timeout: 5000 });
        const c = await jsm.consumers.info(EVENTS_STREAM, consumer);
        // The sink and the archiver take every message: the ack floor must reach the stream's last one too. A consumer
        // leader just elected in a cluster may report nothing pending before it has caught up.
        const { last_seq: last } = (await jsm.streams.info(EVENTS_STREAM)).state;
        const takesAll = consumer === SINK_CONSUMER || consumer === ARCHIVER_CONSUMER;
        const caughtUp = !takesAll || c.ack_floor.stream_seq >= last;
        return c.num_pending + c.num_ack_pending === 0 && caughtUp ? true : undefined;
      },
      timeoutMs,
    );
  } finally {
    await nc.close();
  }
}

/** Every event stored in stream EVENTS (a message holds one or more, one per line), in order. */
export async function storedEvents(natsUrl: string): Promise<Record<string, unknown>[]> {
  const nc = await connect({ servers: natsUrl.split(',') });
  try {
    const { messages } = (await (await jetstreamManager(nc)).streams.info(EVENTS_STREAM)).state;
    const events: Record<string, unknown>[] = [];
    if (messages === 0) return events;
    const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM);
    const batch = await consumer.fetch({ max_messages: messages, expires: 2000 });
    for await (const m of batch)
      for (const line of eventsIn(m.data)) events.push(JSON.parse(new TextDecoder().decode(line)));
    return events;
  } finally {
    await nc.close();
  }
}

export { freePort };
