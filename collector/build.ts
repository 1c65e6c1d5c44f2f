// A collector wired for a process, whatever the runtime: NATS link, publisher, the catalog in force (its files, then
// the published versions it follows), sources (from the environment and COLLECTOR_SOURCES_FILE), metrics, the
// lookups (the geo database, the address-hash key), and the core with every limit from the configuration.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { type Catalog, type Publisher } from '../shared/mod.ts';
import { ConfigError, SourcesSchema, type ConfigOf, type Source } from '../shared/config/mod.ts';
import { openApiDocument } from '../shared/docs/mod.ts';
import { loadCatalogFiles, type Logger } from '../shared/node/mod.ts';
import {
  catalogInForce,
  catalogRegistry,
  connectNats,
  createPublisher,
  followPrivacy,
  ForgetList,
  natsAccessOf,
  type LiveCatalog,
  type NatsLink,
} from '../streams/mod.ts';
import { createCollector, type Collector } from './core/mod.ts';
import { openGeoDatabase } from './geo-database.ts';
import { collectorMetrics } from './metrics.ts';

/** COLLECTOR_SOURCES_FILE: the same JSON as COLLECTOR_WRITE_KEYS, from a file (e.g. a mounted Secret). */
function sourcesFromFile(path?: string): Source[] {
  if (!path) return [];
  const parsed = v.safeParse(v.pipe(v.string(), v.parseJson(), SourcesSchema), readFileSync(path, 'utf8'));
  if (parsed.success) return parsed.output;
  throw new ConfigError(
    `COLLECTOR_SOURCES_FILE=${path}: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? ''} ${i.message}`).join('; ')}`,
  );
}

interface BuiltCollector {
  collector: Collector;
  /** The catalog in force: the files' until a published version is read, then every newer published one. */
  catalog(): Catalog;
  /** Drains the NATS connection, if it was ever made. */
  closeNats(): Promise<void>;
}

/**
 * Resolves once NATS is connected — or, if it cannot be reached yet, at once: the collector then serves
 * before NATS is there, refusing events with 503 and saying not ready on /readyz until the first connection,
 * so it can start beside NATS (a rollout, `kubectl apply` of everything). If NATS refuses us for good (auth,
 * TLS), the process stops with exit code 1 (Node, Deno 2 and Bun all have `process.exit`).
 */
export async function buildCollector(cfg: ConfigOf<'collector'>, log: Logger): Promise<BuiltCollector> {
  const files = loadCatalogFiles(cfg.catalog.paths);
  // Opened at start, whatever the catalog says: a version published later may ask for geo.
  const geo = openGeoDatabase(cfg.collector.geoDb);
  log.info({ geo: geo.source, ipHashKey: cfg.collector.ipHashKey ? 'configured' : 'this process' }, 'enrichment');
  let live: LiveCatalog | undefined;
  let link: NatsLink | undefined;
  let publisher: Publisher | undefined;
  const forgotten = new ForgetList();
  let privacy: { stop(): void } | undefined;
  await new Promise<void>((settled) => {
    connectNats(natsAccessOf(cfg, 'collector'), 'edge-events collector', log, { onWaiting: settled })
      .then(async (connected) => {
        // The newest published catalog is read before any event is accepted (none is, before NATS is reached).
        // NATS dying or electing a leader meanwhile is waited through; other errors stop the process.
        const registry = await catalogRegistry(connected, { create: false, replicas: cfg.stream.replicas });
        live = await catalogInForce(registry, files, log);
        // Erasure requests with suppress: those persons' new events are refused.
        privacy = await followPrivacy(connected.nc, forgotten, log);
        link = connected;
        publisher = createPublisher(connected, {
          timeoutMs: cfg.collector.publishTimeoutMs,
          maxEventsPerMessage: cfg.collector.maxEventsPerMessage,
        });
        settled();
      })
      // Refused for good (auth, TLS), or the catalog or the privacy register could not be read after the waits.
      .catch((err: Error) => {
        log.fatal({ err }, 'cannot use NATS');
        process.exit(1);
      });
  });
  const catalog = () => live?.current() ?? files;
  const documentOf = (c: Catalog) => ({ version: c.version, text: JSON.stringify(openApiDocument(c)) });
  let openapi = documentOf(files);
  const collector = createCollector({
    publisher: {
      publish: (events, headers) =>
        publisher?.publish(events, headers) ??
        Promise.resolve(events.map(() => ({ reason: 'disconnected' as const, message: 'NATS not reached yet' }))),
      ready: () => publisher?.ready() ?? Promise.resolve(false),
    },
    ...cfg.collector,
    catalog,
    sources: [...cfg.collector.sources, ...sourcesFromFile(cfg.collector.sourcesFile)],
    openapi: () => (openapi.version === catalog().version ? openapi : (openapi = documentOf(catalog()))).text,
    observer: collectorMetrics(),
    lookups: {
      suppressed: (user) => forgotten.size > 0 && forgotten.suppressed(user),
      geo: geo.lookup,
      ipKey: cfg.collector.ipHashKey
        ? new TextEncoder().encode(cfg.collector.ipHashKey)
        : crypto.getRandomValues(new Uint8Array(32)),
    },
  });
  return {
    collector,
    catalog,
    async closeNats() {
      live?.stop();
      privacy?.stop();
      await link?.nc.drain();
    },
  };
}
