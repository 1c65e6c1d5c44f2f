// `npm run collector:deno`: the same collector core under Deno 2, served by Deno.serve; drains on SIGTERM.
import { createLogger, loadConfigOrExit } from '../shared/mod.ts';
import { fetchHandler } from './adapters/fetch.ts';
import { buildCollector } from './build.ts';

declare const Deno: {
  serve(
    opts: { port: number; hostname: string; onListen?: (a: { port: number }) => void },
    handler: (req: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: string, fn: () => void): void;
  exit(code: number): never;
};

const cfg = loadConfigOrExit();
const log = createLogger('collector', cfg.logLevel);
const { collector, closeNats } = await buildCollector(cfg, log);
const handle = fetchHandler(collector, cfg.collector);
const server = Deno.serve(
  { port: cfg.collector.port, hostname: cfg.collector.host, onListen: ({ port }) => log.info({ port, runtime: 'deno' }, 'collector listening') },
  (req, info) => handle(req, info.remoteAddr.hostname),
);
for (const signal of ['SIGTERM', 'SIGINT']) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await closeNats();
    Deno.exit(0);
  });
}
