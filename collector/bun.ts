// The collector on Bun, as `npm run collector:bun` and the single-file build (tools/build-binary.ts) run it: the
// command line read over the environment (command-line.ts), tracing, the collector core served by Bun.serve (the
// Web-standard adapter), and on SIGTERM or SIGINT: stop accepting, answer in-flight, flush NATS, flush the spans.
import { runProcess, stopInOrder } from '../process/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { fetchHandler } from './adapters/fetch.ts';
import { buildCollector } from './build.ts';
import { readCommandLine } from './command-line.ts';

declare const Bun: {
  serve(opts: {
    port: number;
    hostname: string;
    fetch: (req: Request, server: { requestIP(r: Request): { address: string } | null }) => Promise<Response>;
  }): { port: number; stop(closeActive?: boolean): Promise<void> };
};

/** Runs the collector; `defaults` stand in for settings neither a flag nor the environment gives (the build's
 *  embedded catalog and geo database). */
export async function runOnBun(opts: { version: string; defaults?: Record<string, string> }): Promise<void> {
  const line = readCommandLine(process.argv.slice(2), process.env, opts);
  if ('print' in line) {
    (line.exit === 0 ? process.stdout : process.stderr).write(line.print);
    process.exit(line.exit);
  }
  // Into the process's environment: the configuration reads it, and so does the OpenTelemetry SDK (OTEL_*).
  Object.assign(process.env, line.run);
  await runProcess('collector', async (cfg) => {
    const log = createLogger('collector', cfg.logLevel);
    const { collector, closeNats } = await buildCollector(cfg, log);
    const handle = fetchHandler(collector, cfg.collector);
    const server = Bun.serve({
      port: cfg.collector.port,
      hostname: cfg.collector.host,
      fetch: (req, srv) => handle(req, srv.requestIP(req)?.address),
    });
    log.info({ port: server.port, runtime: 'bun', version: opts.version }, 'collector listening');
    return {
      async stop() {
        await stopInOrder(
          [
            ['http server', () => server.stop()],
            ['nats', closeNats],
          ],
          log,
        );
        log.info('collector stopped');
      },
    };
  });
}
