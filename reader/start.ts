// Starts the reading process's parts: ClickHouse (or the one the process already holds: the embedded engine lets
// one connection per data folder), NATS when configured (the console's live tail, dead letters and stream state,
// and the catalog published in NATS KV, followed as it changes), the catalog (the files until a published version
// is read, or the process's catalog in force), and the HTTP server (@hono/node-server) — and stops them in order.
import { serve, type ServerType } from '@hono/node-server';
import type { Catalog } from '../shared/mod.ts';
import type { ConfigOf } from '../shared/config/mod.ts';
import { waitForClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import {
  catalogInForce,
  catalogRegistry,
  connectNats,
  natsAccessOf,
  openPrivacyRegister,
  type PrivacyRegister,
  type LiveCatalog,
  type NatsConnection,
  type NatsLink,
} from '../streams/mod.ts';
import { stopInOrder } from '../process/mod.ts';
import { readerApp } from './app.ts';
import { OverviewSampler } from './console/mod.ts';

export interface RunningReader {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startReader(
  cfg: ConfigOf<'reader'>,
  opts: { clickhouse?: ClickHouse; catalog?: () => Catalog; nats?: NatsConnection; log?: Logger } = {},
): Promise<RunningReader> {
  const log = opts.log ?? createLogger('reader', cfg.logLevel);
  const files = opts.catalog ? undefined : loadCatalogFiles(cfg.catalog.paths);
  let live: LiveCatalog | undefined;
  const catalog = opts.catalog ?? (() => live?.current() ?? files!);
  let link: NatsLink | undefined;
  let stopped = false;
  // NATS is optional for reading: without it the console says so; with it unreachable, the reader still serves. A
  // connection made after stop() is closed at once.
  const linked =
    !opts.nats && cfg.nats.url
      ? connectNats(natsAccessOf(cfg, 'reader'), 'edge-events reader', log).then(async (l) => {
          if (stopped) return void (await l.nc.close());
          link = l;
          if (!files) return;
          const registry = await catalogRegistry(l, { create: false, replicas: cfg.stream.replicas });
          const following = await catalogInForce(registry, files, log);
          if (stopped) return following.stop();
          live = following;
        })
      : undefined;
  linked?.catch((err: Error) => log.error({ err: err.message }, 'NATS'));
  const nats = () => opts.nats ?? link?.nc;
  const clickhouse = opts.clickhouse ?? (await waitForClickHouse(cfg.clickhouse, cfg.dataDir, log));
  const { console: settings } = cfg.reader;
  const sampler = new OverviewSampler(
    [
      ...settings.collectors.map((url) => ({ role: 'collector' as const, url })),
      ...settings.sinks.map((url) => ({ role: 'sink' as const, url })),
      ...settings.archivers.map((url) => ({ role: 'archiver' as const, url })),
    ],
    nats,
  );
  let register: Promise<PrivacyRegister> | undefined;
  const app = readerApp({
    clickhouse,
    catalog,
    readKeys: cfg.reader.readKeys,
    writeKeys: cfg.reader.sources.map((s) => s.key),
    token: settings.token,
    adminKeys: cfg.reader.adminKeys,
    host: cfg.reader.host,
    limits: cfg.reader.limits,
    privacy: () => {
      const nc = nats();
      // Opened once it exists (a sink makes it); a failed open is tried again on the next request.
      register ??= nc
        ? openPrivacyRegister(nc, { create: false }, log).catch((err: unknown) => {
            register = undefined;
            throw err;
          })
        : undefined;
      return register;
    },
    console: {
      sampler,
      nats,
      collector: settings.collectors[0]!,
      sources: cfg.reader.sources,
    },
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: cfg.reader.host, port: cfg.reader.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.reader.port;
  log.info({ port, host: cfg.reader.host }, 'reader listening');
  return {
    port,
    async stop() {
      stopped = true;
      await stopInOrder(
        [
          ['overview sampler', () => sampler.stop()],
          ['catalog', () => live?.stop()],
          // Live tails are endless responses: close them with the server.
          [
            'http server',
            () => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              return new Promise((resolve) => server.close(resolve));
            },
          ],
          ['nats', () => link?.nc.drain().catch(() => {})],
          ['clickhouse', () => (opts.clickhouse ? undefined : clickhouse.close())],
        ],
        log,
      );
    },
  };
}
