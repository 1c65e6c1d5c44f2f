// `npm run collector:bun`: the same collector core under Bun, served by Bun.serve; drains on SIGTERM.
import { exitIfRefused, onStopSignal } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { fetchHandler } from './adapters/fetch.ts';
import { buildCollector } from './build.ts';

declare const Bun: {
  serve(opts: {
    port: number;
    hostname: string;
    fetch: (req: Request, server: { requestIP(r: Request): { address: string } | null }) => Promise<Response>;
  }): { port: number; stop(closeActive?: boolean): Promise<void> };
};

const cfg = loadConfigOrExit('collector');
const log = createLogger('collector', cfg.logLevel);
const { collector, closeNats } = await buildCollector(cfg, log).catch(exitIfRefused);
const handle = fetchHandler(collector, cfg.collector);
const server = Bun.serve({
  port: cfg.collector.port,
  hostname: cfg.collector.host,
  fetch: (req, srv) => handle(req, srv.requestIP(req)?.address),
});
log.info({ port: server.port, runtime: 'bun' }, 'collector listening');
onStopSignal(async () => {
  await server.stop();
  await closeNats();
});
