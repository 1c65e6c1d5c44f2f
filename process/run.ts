// A process's entry point, the same for every role: parse its configuration (exit 2 naming the variable when it is
// wrong), start tracing, start the role (exit 2 on a Refused start: a wrong catalog, a credential), and on SIGTERM or
// SIGINT stop it, then flush the spans, and exit.
import { exitIfRefused, loadConfigOrExit, onStopSignal, type Config } from '../shared/mod.ts';
import { startTracing } from '../shared/node/mod.ts';

export interface Running {
  stop(): Promise<void>;
}

export async function runProcess(
  service: string,
  start: (cfg: Config) => Promise<Running>,
  opts: { linkLimit?: (cfg: Config) => number } = {},
): Promise<void> {
  const cfg = loadConfigOrExit();
  const tracing = await startTracing(`edge-events-${service}`, cfg.telemetry, opts.linkLimit?.(cfg));
  const running = await start(cfg).catch(exitIfRefused);
  onStopSignal(async () => {
    await running.stop();
    await tracing.shutdown();
  });
}
