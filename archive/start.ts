// Starts an archiver process's parts: the object store, NATS (the archiver's consumer, and the catalog in force:
// the files until a published version is read, then every newer one), the consumer runner delivering to the
// archiver (archiver.ts) and checking between batches which files are due, and /healthz, /readyz and /metrics on
// ARCHIVE_PORT — and stops them in order, writing what it holds first.
import { ARCHIVER_DEAD_LETTERER, SpanKind } from '../shared/mod.ts';
import { type ConfigOf } from '../shared/config/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import { consumerMetrics, serveStatus, stopInOrder } from '../process/mod.ts';
import {
  ARCHIVER_CONSUMER,
  archiverAckWaitSeconds,
  catalogInForce,
  catalogRegistry,
  connectNats,
  createDeadLetterer,
  ForgetList,
  natsAccessOf,
  serveErasures,
  startConsumer,
} from '../streams/mod.ts';
import { createArchiver, type ArchiverStats } from './archiver.ts';
import { eraseFromArchive } from './erase.ts';
import { archiverMetrics } from './metrics.ts';
import { openStore } from './store.ts';

export interface RunningArchiver {
  readonly stats: ArchiverStats;
  readonly port: number;
  /** Where the files go. */
  readonly where: string;
  stop(): Promise<void>;
}

export async function startArchiver(cfg: ConfigOf<'archiver'>, log: Logger = createLogger('archiver', cfg.logLevel)) {
  const files = loadCatalogFiles(cfg.catalog.paths);
  const store = openStore(cfg.archive);
  const link = await connectNats(natsAccessOf(cfg, 'archiver'), 'edge-events archiver', log);
  const registry = await catalogRegistry(link, { create: false, replicas: cfg.stream.replicas });
  const catalog = await catalogInForce(registry, files, log);
  // Erasure requests: whose events are not written from now on, and the files that hold them rewritten.
  const forget = new ForgetList();
  const archiver = createArchiver({
    store,
    catalog: () => catalog.current(),
    cfg: { fileBytes: cfg.archive.fileBytes, flushSeconds: cfg.archive.flushSeconds },
    log,
    forget,
  });
  const consumer = startConsumer({
    link,
    consumer: ARCHIVER_CONSUMER,
    batchSize: 1000,
    batchWaitMs: 1000,
    retryBaseMs: cfg.archive.retryBaseMs,
    retryMaxMs: cfg.archive.retryMaxMs,
    ackWaitSeconds: archiverAckWaitSeconds(cfg.archive.flushSeconds),
    // Nothing the store refuses is the data's fault: no attempt limit, no dead letters but a bug's.
    deadLetter: createDeadLetterer(link, ARCHIVER_DEAD_LETTERER),
    log,
    span: { name: 'archive file', kind: SpanKind.CONSUMER },
    destination: archiver.destination,
  });
  // The archive's part of an erasure: the files that hold the person rewritten, again after a file being written
  // meanwhile is stored.
  const erasing = await serveErasures(
    link.nc,
    forget,
    {
      archive: {
        erase: async (e) => {
          const { files, events } = await eraseFromArchive(store, catalog.current(), e.user_id);
          return { files, events };
        },
        againAfterMs: 2000,
      },
    },
    log,
  );
  const metrics = archiverMetrics(archiver);
  consumerMetrics(
    metrics,
    () => ({ [ARCHIVER_CONSUMER]: consumer.stats }),
    () => link,
  );
  const status = await serveStatus({
    host: cfg.archive.host,
    port: cfg.archive.port,
    ready: async () => ({ nats: link.connected() }),
    metrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
    log,
  });
  log.info({ to: store.where, port: status.port, catalog: catalog.current().version }, 'archiver running');
  return {
    stats: archiver.stats,
    port: status.port,
    where: store.where,
    async stop() {
      await stopInOrder(
        [
          ['consumer', consumer.stop],
          ['erasures', erasing.stop],
          ['catalog', () => catalog.stop()],
          ['nats', () => link.nc.drain().catch(() => {})],
          ['status port', status.close],
        ],
        log,
      );
      log.info({ ...archiver.stats }, 'archiver stopped');
    },
  } satisfies RunningArchiver;
}
