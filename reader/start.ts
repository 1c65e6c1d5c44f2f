// Starts the reading process's parts: ClickHouse (or the one the process already holds: the embedded engine lets
// one connection per data folder), the catalog (the files, or the process's catalog in force), and the HTTP server
// (@hono/node-server) — and stops them in order.
import { serve, type ServerType } from '@hono/node-server';
import type { Catalog, Config } from '../shared/mod.ts';
import { waitForClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import { readerApp } from './app.ts';

export interface RunningReader {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startReader(
  cfg: Config,
  opts: { clickhouse?: ClickHouse; catalog?: () => Catalog; log?: Logger } = {},
): Promise<RunningReader> {
  const log = opts.log ?? createLogger('reader', cfg.logLevel);
  const files = opts.catalog ? undefined : loadCatalogFiles(cfg.catalog.paths);
  const catalog = opts.catalog ?? (() => files!);
  const clickhouse = opts.clickhouse ?? (await waitForClickHouse(cfg.clickhouse, cfg.dataDir, log));
  const app = readerApp({
    clickhouse,
    catalog,
    readKeys: cfg.reader.readKeys,
    writeKeys: cfg.collector.sources.map((s) => s.key),
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
      await new Promise((resolve) => server.close(resolve));
      if (!opts.clickhouse) await clickhouse.close();
    },
  };
}
