// Starts a collector process's parts on Node: the collector (build.ts) behind the uWS server — and
// stops them in order: stop accepting, answer in-flight, flush NATS.
import type { ConfigOf } from '../shared/config/mod.ts';
import { createLogger, type Logger } from '../shared/node/mod.ts';
import { RequestFailed } from './core/mod.ts';
import { serveNode } from './adapters/node-uws.ts';
import { buildCollector } from './build.ts';
import { stopInOrder } from '../process/mod.ts';

export interface RunningCollector {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startCollector(
  cfg: ConfigOf<'collector'>,
  log: Logger = createLogger('collector', cfg.logLevel),
): Promise<RunningCollector> {
  const { collector, closeNats } = await buildCollector(cfg, log);
  const onError = (err: unknown) =>
    err instanceof RequestFailed
      ? log.error({ err: err.cause, trace_id: err.traceId }, 'request failed')
      : log.error({ err }, 'request failed');
  const server = await serveNode(collector, { ...cfg.collector, onError });
  log.info({ port: server.port }, 'collector listening');
  return {
    port: server.port,
    async stop() {
      await stopInOrder(
        [
          ['http server', () => server.close()],
          ['nats', closeNats],
        ],
        log,
      );
      log.info('collector stopped');
    },
  };
}
