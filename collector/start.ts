// Starts a collector process's parts on Node: the collector (build.ts) behind the uWS server — and
// stops them in order: stop accepting, answer in-flight, flush NATS.
import { createLogger, type Config, type Logger } from '../shared/mod.ts';
import { serveNode } from './adapters/node-uws.ts';
import { buildCollector } from './build.ts';

export interface RunningCollector {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startCollector(cfg: Config, log: Logger = createLogger('collector', cfg.logLevel)): Promise<RunningCollector> {
  const { collector, closeNats } = await buildCollector(cfg, log);
  const server = await serveNode(collector, { ...cfg.collector, onError: (err) => log.error({ err, trace_id: (err as { traceId?: string }).traceId }, 'request failed') });
  log.info({ port: server.port }, 'collector listening');
  return {
    port: server.port,
    async stop() {
      await server.close();
      await closeNats();
      log.info('collector stopped');
    },
  };
}
