// Starts a sink process's parts: the status port, ClickHouse (schema applied) and the NATS link (each waited
// for if not up yet), the pull loop feeding the batch path (sink.ts) and the relays — and stops them in order:
// finish the batch in hand, flush acks, close ClickHouse.
import { jetstreamManager } from '@nats-io/jetstream';
import type { Server } from 'node:http';
import type { Catalog, Config } from '../shared/mod.ts';
import { migrate, waitForClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import {
  connectNats,
  EVENTS_STREAM,
  followCatalog,
  openCatalogRegistry,
  relayConsumer,
  SINK_CONSUMER,
  type LiveCatalog,
  type NatsLink,
} from '../streams/mod.ts';
import { applyCatalog } from './catalog.ts';
import { createDeadLetterer } from './dead-letter.ts';
import { sinkMetrics } from './metrics.ts';
import { startPullLoop } from './pull-loop.ts';
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
  const health: Server = await serveStatus(
    cfg.sink.port,
    () => link,
    () => clickhouse,
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
    const registry = (await openCatalogRegistry(nats.nc, { create: true, replicas: cfg.stream.replicas }))!;
    const applied = await applyCatalog(files, ch, registry, log);
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
    deadLetter: createDeadLetterer(nats, 'sink'),
    cfg: cfg.sink,
    log,
    stats,
    reapplySchema: async () => void (await migrate(ch, catalog.current())),
  });
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
