// Starts a collector process's parts on Node: NATS link, publisher, core, uWS server — and stops
// them in order (stop accepting, answer in-flight, flush NATS).
import { createLogger, type Config, type Logger } from '../shared/mod.ts';
import { connectNats, createPublisher } from '../streams/mod.ts';
import { serveNode } from './adapters/node-uws.ts';
import { createCollector } from './core/collector.ts';

export interface RunningCollector {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startCollector(cfg: Config, log: Logger = createLogger('collector', cfg.logLevel)): Promise<RunningCollector> {
  const link = await connectNats(cfg.nats.url ?? 'nats://127.0.0.1:4222', 'edge-events collector', log);
  const publisher = createPublisher(link, { timeoutMs: cfg.collector.publishTimeoutMs });
  const collector = createCollector({ publisher, ...cfg.collector });
  const server = await serveNode(collector, { ...cfg.collector, onError: (err) => log.error({ err }, 'request failed') });
  log.info({ port: server.port }, 'collector listening');
  return {
    port: server.port,
    async stop() {
      await server.close();
      await link.nc.drain();
      log.info('collector stopped');
    },
  };
}
