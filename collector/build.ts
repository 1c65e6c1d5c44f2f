// A collector wired for a process, whatever the runtime: NATS link, publisher, sources (from the
// environment and COLLECTOR_SOURCES_FILE), metrics, and the core with every limit from the configuration.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { ConfigError, openApiDocument, SourcesSchema, type Config, type Logger, type Source } from '../shared/mod.ts';
import { connectNats, createPublisher, type NatsLink } from '../streams/mod.ts';
import { createCollector, type Collector } from './core/collector.ts';
import { collectorMetrics } from './metrics.ts';

/** COLLECTOR_SOURCES_FILE: the same JSON as COLLECTOR_WRITE_KEYS, from a file (e.g. a mounted Secret). */
function sourcesFromFile(path?: string): Source[] {
  if (!path) return [];
  const parsed = v.safeParse(v.pipe(v.string(), v.parseJson(), SourcesSchema), readFileSync(path, 'utf8'));
  if (parsed.success) return parsed.output;
  throw new ConfigError(`COLLECTOR_SOURCES_FILE=${path}: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? ''} ${i.message}`).join('; ')}`);
}

export async function buildCollector(cfg: Config, log: Logger): Promise<{ collector: Collector; link: NatsLink }> {
  const link = await connectNats(cfg.nats.url ?? 'nats://127.0.0.1:4222', 'edge-events collector', log);
  const collector = createCollector({
    publisher: createPublisher(link, { timeoutMs: cfg.collector.publishTimeoutMs, maxEventsPerMessage: cfg.collector.maxEventsPerMessage }),
    ...cfg.collector,
    sources: [...cfg.collector.sources, ...sourcesFromFile(cfg.collector.sourcesFile)],
    openapi: JSON.stringify(openApiDocument()),
    observer: collectorMetrics(),
  });
  return { collector, link };
}
