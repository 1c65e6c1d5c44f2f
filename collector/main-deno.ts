// `npm run collector:deno`: the same collector core under Deno 2, served by Deno.serve; drains on SIGTERM.
import { exitIfRefused, onStopSignal } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { fetchHandler } from './adapters/fetch.ts';
import { buildCollector } from './build.ts';

declare const Deno: {
  serve(
    opts: { port: number; hostname: string; onListen?: (a: { port: number }) => void },
    handler: (req: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): { shutdown(): Promise<void> };
};

const cfg = loadConfigOrExit('collector');
const log = createLogger('collector', cfg.logLevel);
const { collector, closeNats } = await buildCollector(cfg, log).catch(exitIfRefused);
const handle = fetchHandler(collector, cfg.collector);
const server = Deno.serve(
  {
    port: cfg.collector.port,
    hostname: cfg.collector.host,
    onListen: ({ port }) => log.info({ port, runtime: 'deno' }, 'collector listening'),
  },
  (req, info) => handle(req, info.remoteAddr.hostname),
);
onStopSignal(async () => {
  await server.shutdown();
  await closeNats();
});
