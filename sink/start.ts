// Starts a sink process's parts: the status port, ClickHouse (schema applied) and the NATS link (each waited
// for if not up yet), the pull loop feeding the batch path (sink.ts) and the relays — and stops them in order:
// finish the batch in hand, flush acks, close ClickHouse.
import { jetstreamManager } from '@nats-io/jetstream';
import type { Server } from 'node:http';
import { isUnreachable, SINK_DEAD_LETTERER, type Catalog, type Config } from '../shared/mod.ts';
import { isCoordinationAway, waitForClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import {
  connectNats,
  EVENTS_STREAM,
  followCatalog,
  openCatalogRegistry,
  relayConsumer,
  SINK_CONSUMER,
  startPullLoop,
  isElecting,
  throughElection,
  type LiveCatalog,
  type NatsLink,
} from '../streams/mod.ts';
import { applyCatalog, migrateNoting } from './catalog.ts';
import { createDeadLetterer } from './dead-letter.ts';
import { sinkMetrics } from './metrics.ts';
import { startRelays, type RunningRelays } from './relays.ts';
import { createSink } from './sink.ts';
import { serveStatus } from './status-server.ts';
import { newSinkStats, type SinkStats } from './types.ts';

export interface RunningSink {
  readonly clickhouse: ClickHouse;
  /** The catalog in force (published version). */
  catalog(): Catalog;
  readonly stats: Readonly<SinkStats>;
  readonly relays: RunningRelays['stats'];
  readonly healthPort: number;
  stop(): Promise<void>;
}

/** Unacked messages per consumer (pending + awaiting ack): the lag KEDA and dashboards watch. */
async function consumerPending(link: NatsLink, consumers: string[]): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(link.nc, { timeout: 2000 });
  const out: Record<string, number> = {};
  for (const name of consumers) {
    const info = await jsm.consumers.info(EVENTS_STREAM, name).catch(() => undefined);
    if (info) out[name] = info.num_pending + info.num_ack_pending;
  }
  return out;
}

export async function startSink(cfg: Config, log: Logger = createLogger('sink', cfg.logLevel)): Promise<RunningSink> {
  const stats = newSinkStats();
  let relays: RunningRelays | undefined;
  let link: NatsLink | undefined;
  let clickhouse: ClickHouse | undefined;
  const metrics = sinkMetrics(
    () => ({
      [SINK_CONSUMER]: stats,
      ...Object.fromEntries(Object.entries(relays?.stats ?? {}).map(([n, s]) => [relayConsumer(n), s])),
    }),
    () =>
      link
        ? consumerPending(link, [SINK_CONSUMER, ...cfg.relays.map((r) => relayConsumer(r.name))])
        : Promise.resolve({}),
  );
  // Served while ClickHouse and NATS are still awaited (live, not ready): a probe does not restart a waiting sink.
  // Ready once the catalog is applied and the sink pulls.
  let pulling = false;
  const health: Server = await serveStatus(
    cfg.sink.port,
    () => (pulling ? link : undefined),
    () => (pulling ? clickhouse : undefined),
    metrics,
    log,
  );
  let ch: ClickHouse;
  let nats: NatsLink;
  let catalog: LiveCatalog;
  try {
    // Read first: a wrong catalog file stops the sink before it waits for anything.
    const files = loadCatalogFiles(cfg.catalog.paths);
    ch = clickhouse = await waitForClickHouse(cfg.clickhouse, cfg.dataDir, log);
    log.info({ engine: ch.engine, version: ch.version, at: ch.location, database: ch.database }, 'clickhouse reached');
    nats = link = await connectNats(cfg.nats.url ?? 'nats://127.0.0.1:4222', 'edge-events sink', log);
    // NATS or ClickHouse dying, or a leader being elected, meanwhile is waited through (both steps can be repeated:
    // every statement of a migration is idempotent); other errors stop.
    const registry = (await throughElection(() =>
      openCatalogRegistry(nats!.nc, { create: true, replicas: cfg.stream.replicas }),
    ))!;
    const applied = await untilReachable(() => applyCatalog(files, ch!, registry, log), 'the catalog', log);
    catalog = await followCatalog(registry, applied, (err) => log.error({ err: err.message }, 'a published catalog'));
    catalog.onChange((c) => log.info({ version: c.version }, 'catalog version in force'));
    log.info({ catalog: applied.version, types: applied.types.length }, 'clickhouse ready');
  } catch (err) {
    // A mistake waiting will not fix (credentials, a missing engine, a refused catalog): nothing is left running.
    await new Promise((resolve) => health.close(resolve));
    await link?.nc.close();
    await clickhouse?.close();
    throw err;
  }
  const handle = createSink({
    ch,
    catalog,
    observer: metrics.observer,
    deadLetter: createDeadLetterer(nats, SINK_DEAD_LETTERER),
    cfg: cfg.sink,
    log,
    stats,
    reapplySchema: async () => void (await migrateNoting(ch, catalog.current(), log)),
  });
  pulling = true;
  const loop = startPullLoop({ link: nats, stream: EVENTS_STREAM, consumer: SINK_CONSUMER, ...cfg.sink, log, handle });
  relays = startRelays(cfg, nats, log, catalog.current());
  const address = health.address();
  return {
    clickhouse: ch,
    catalog: () => catalog.current(),
    stats,
    relays: relays.stats,
    healthPort: typeof address === 'object' && address ? address.port : cfg.sink.port,
    async stop() {
      await Promise.all([loop.stop(), relays!.stop()]);
      catalog.stop();
      await nats.nc.drain();
      await new Promise((resolve) => health.close(resolve));
      await ch.close();
      log.info({ ...stats }, 'sink stopped');
    },
  };
}

/** Runs a start-up step again while a server it needs is away (unreachable, electing a leader, or a ClickHouse
 *  cluster without its ZooKeeper); other errors, and a step that succeeds, end it. */
async function untilReachable<T>(step: () => Promise<T>, what: string, log: Logger): Promise<T> {
  for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
    try {
      return await step();
    } catch (err) {
      if (!isUnreachable(err) && !isElecting(err) && !isCoordinationAway(err)) throw err;
      log.warn({ err: (err as Error).message, retryInMs: wait }, `${what}: a server is away; trying again`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
