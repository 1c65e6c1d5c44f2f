// Starts an archiver process's parts: the object store, NATS (the archiver's consumer, and the catalog published
// in NATS KV, followed as it changes; the files until one is read), the pull loop handing batches to the archiver,
// a timer writing the files that are due between batches, and /healthz, /readyz and /metrics on ARCHIVE_PORT —
// and stops them in order, writing what it holds first.
import { createServer } from 'node:http';
import type { Config } from '../shared/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import {
  ARCHIVER_CONSUMER,
  archiverAckWaitSeconds,
  connectNats,
  EVENTS_STREAM,
  followCatalog,
  openCatalogRegistry,
  startPullLoop,
  throughElection,
} from '../streams/mod.ts';
import { createArchiver, type Archiver, type ArchiverStats } from './archiver.ts';
import { archiverMetrics } from './metrics.ts';
import { openStore } from './store.ts';

export interface RunningArchiver {
  readonly stats: ArchiverStats;
  readonly port: number;
  /** Where the files go. */
  readonly where: string;
  stop(): Promise<void>;
}

export async function startArchiver(cfg: Config, log: Logger = createLogger('archiver', cfg.logLevel)) {
  const files = loadCatalogFiles(cfg.catalog.paths);
  const store = openStore(cfg.archive);
  const link = await connectNats(cfg.nats.url ?? 'nats://127.0.0.1:4222', 'edge-events archiver', log);
  const registry = await throughElection(() =>
    openCatalogRegistry(link.nc, { create: false, replicas: cfg.stream.replicas }),
  );
  const catalog = await followCatalog(registry, files, (err) => log.error({ err: err.message }, 'a published catalog'));
  const archiver: Archiver = createArchiver({
    store,
    catalog: () => catalog.current(),
    cfg: {
      fileBytes: cfg.archive.fileBytes,
      flushSeconds: cfg.archive.flushSeconds,
      ackWaitSeconds: archiverAckWaitSeconds(cfg.archive.flushSeconds),
      retryBaseMs: cfg.sink.retryBaseMs,
      retryMaxMs: cfg.sink.retryMaxMs,
    },
    log,
  });
  const signal = { stopped: false };
  const loop = startPullLoop({
    link,
    stream: EVENTS_STREAM,
    consumer: ARCHIVER_CONSUMER,
    batchSize: 1000,
    batchWaitMs: 1000,
    retryBaseMs: cfg.sink.retryBaseMs,
    retryMaxMs: cfg.sink.retryMaxMs,
    log,
    handle: (msgs) => archiver.take(msgs, signal),
  });
  const timer = setInterval(() => void archiver.flushDue(signal), 1000);
  const metrics = archiverMetrics(archiver);
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      const body = await metrics.metrics();
      return res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
    }
    if (req.url === '/healthz' || req.url === '/readyz') {
      const ok = !link.nc.isClosed();
      return res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(cfg.archive.port, cfg.collector.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.archive.port;
  log.info({ to: store.where, port, catalog: catalog.current().version }, 'archiver running');
  return {
    stats: archiver.stats,
    port,
    where: store.where,
    async stop() {
      signal.stopped = true;
      clearInterval(timer);
      await loop.stop();
      await archiver.drain();
      catalog.stop();
      await link.nc.drain().catch(() => {});
      await new Promise((resolve) => server.close(resolve));
      log.info({ ...archiver.stats }, 'archiver stopped');
    },
  } satisfies RunningArchiver;
}
