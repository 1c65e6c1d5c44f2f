// Starts a sink process's parts: the status port, ClickHouse (schema applied) and the NATS link (each waited for if
// not up yet), the sink's consumer (the runner fed by the batch path, sink.ts), the relays and the answers to redrive
// requests — and stops them in
// order: finish the batch in hand, flush acks, close ClickHouse.
import { isUnreachable, retrying, SINK_DEAD_LETTERER, SpanKind, type Catalog } from '../shared/mod.ts';
import { type ConfigOf } from '../shared/config/mod.ts';
import { eraseUser, isCoordinationAway, waitForClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import { consumerMetrics, serveStatus, stopInOrder } from '../process/mod.ts';
import {
  catalogInForce,
  catalogRegistry,
  connectNats,
  createDeadLetterer,
  isElecting,
  natsAccessOf,
  relayConsumer,
  eraseLetters,
  ForgetList,
  openPrivacyRegister,
  serveErasures,
  serveRedrives,
  SINK_CONSUMER,
  startConsumer,
  type ConsumerStats,
  type LiveCatalog,
  type NatsLink,
} from '../streams/mod.ts';
import { applyCatalog, migrateNoting } from './catalog.ts';
import { localQueryRoute, writeQueryToken } from './local-query.ts';
import { sinkMetrics } from './metrics.ts';
import { refuseUnsignedRelays, startRelays, type RunningRelays } from './relays.ts';
import { createSink } from './sink.ts';
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

export async function startSink(
  cfg: ConfigOf<'sink'>,
  log: Logger = createLogger('sink', cfg.logLevel),
): Promise<RunningSink> {
  refuseUnsignedRelays(cfg.relays);
  const stats = newSinkStats();
  let relays: RunningRelays | undefined;
  let link: NatsLink | undefined;
  let clickhouse: ClickHouse | undefined;
  const metrics = sinkMetrics();
  const consumers = (): Record<string, ConsumerStats> => ({
    [SINK_CONSUMER]: stats,
    ...Object.fromEntries(Object.entries(relays?.stats ?? {}).map(([n, s]) => [relayConsumer(n), s])),
  });
  consumerMetrics(metrics.registry, consumers, () => link);
  // Served while ClickHouse and NATS are still awaited (live, not ready): a probe does not restart a waiting sink.
  // Ready once the catalog is applied and the sink pulls.
  let pulling = false;
  // `npm run query` on the embedded engine asks this sink, with a token only this machine's user can read.
  const queryToken = cfg.clickhouse.url ? undefined : writeQueryToken(cfg.dataDir);
  const status = await serveStatus({
    host: cfg.sink.host,
    port: cfg.sink.port,
    ready: async () => ({
      nats: pulling && (link?.connected() ?? false),
      clickhouse: pulling && ((await clickhouse?.answers()) ?? false),
    }),
    metrics: metrics.render,
    routes: (app) => localQueryRoute(app, () => (pulling ? clickhouse : undefined), queryToken),
    log,
  });
  let ch: ClickHouse;
  let nats: NatsLink;
  let catalog: LiveCatalog;
  try {
    // Read first: a wrong catalog file stops the sink before it waits for anything.
    const files = loadCatalogFiles(cfg.catalog.paths);
    ch = clickhouse = await waitForClickHouse(cfg.clickhouse, cfg.dataDir, log);
    log.info({ engine: ch.engine, version: ch.version, at: ch.location, database: ch.database }, 'clickhouse reached');
    nats = link = await connectNats(natsAccessOf(cfg, 'sink'), 'edge-events sink', log);
    // NATS or ClickHouse dying, or a leader being elected, meanwhile is waited through (both steps can be repeated:
    // every statement of a migration is idempotent); other errors stop.
    const registry = await catalogRegistry(nats, { create: true, replicas: cfg.stream.replicas });
    const applied = await retrying(() => applyCatalog(files, ch!, registry, log), {
      passing: (err) => isUnreachable(err) || isElecting(err) || isCoordinationAway(err),
      baseMs: 250,
      maxMs: 5000,
      onRetry: (err, _, retryInMs) =>
        log.warn({ err: (err as Error).message, retryInMs }, 'the catalog: a server is away; trying again'),
    });
    catalog = await catalogInForce(registry, applied, log);
  } catch (err) {
    // A mistake waiting will not fix (credentials, a missing engine, a refused catalog): nothing is left running.
    await stopInOrder(
      [
        ['status port', status.close],
        ['nats', () => link?.nc.close()],
        ['clickhouse', () => clickhouse?.close()],
      ],
      log,
    );
    throw err;
  }
  // Erasure requests (streams' privacy register, made here): whose events are left out from now on, and the hot
  // tables, marts and dead letters erased for each request.
  const forget = new ForgetList();
  await openPrivacyRegister(nats.nc, { create: true, replicas: cfg.stream.replicas }, log);
  const consumer = startConsumer({
    link: nats,
    consumer: SINK_CONSUMER,
    ...cfg.sink,
    deadLetter: createDeadLetterer(nats, SINK_DEAD_LETTERER),
    log,
    span: { name: 'sink batch', kind: SpanKind.CONSUMER },
    stats,
    destination: createSink({
      ch,
      catalog,
      observer: metrics.observer,
      cfg: cfg.sink,
      log,
      stats,
      reapplySchema: async () => void (await migrateNoting(ch, catalog.current(), log)),
      forget,
    }),
  });
  const erasing = await serveErasures(
    nats.nc,
    forget,
    {
      clickhouse: {
        erase: async (e) => {
          const erased = await eraseUser(ch, catalog.current(), e.user_id);
          return { ...erased.rows, mart_days: Object.values(erased.days).reduce((a, b) => a + b, 0) };
        },
        // The batch in hand when the request was seen lands within the batch wait and its insert.
        againAfterMs: cfg.sink.batchWaitMs + 5000,
      },
      dead_letters: { erase: async (e) => ({ events: await eraseLetters(nats.nc, e.user_id) }), againAfterMs: 0 },
    },
    log,
  );
  pulling = true;
  relays = startRelays(cfg, nats, log, catalog.current());
  // The reader asks; the sink's user is the one that may put dead letters back on `events.*`.
  const redrives = serveRedrives(nats.nc, log);
  return {
    clickhouse: ch,
    catalog: () => catalog.current(),
    stats,
    relays: relays.stats,
    healthPort: status.port,
    async stop() {
      await stopInOrder(
        [
          ['consumers', () => Promise.all([consumer.stop(), relays!.stop(), redrives.drain(), erasing.stop()])],
          ['catalog', () => catalog.stop()],
          ['nats', () => nats.nc.drain()],
          ['status port', status.close],
          ['clickhouse', () => ch.close()],
        ],
        log,
      );
      log.info({ ...stats }, 'sink stopped');
    },
  };
}
