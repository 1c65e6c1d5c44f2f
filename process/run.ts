// A process's entry point, the same for every role: parse its configuration (exit 2 naming the variable when it is
// wrong), start tracing, start the role (exit 2 on a Refused start: a wrong catalog, a credential), and on SIGTERM or
// SIGINT stop it, then flush the spans, and exit.
import { exitIfRefused, onStopSignal } from '../shared/mod.ts';
import { loadConfigOrExit, type Config, type ConfigOf, type Role } from '../shared/config/mod.ts';
import { startTracing } from '../shared/node/mod.ts';

interface Running {
  stop(): Promise<void>;
}

export async function runProcess<R extends Exclude<Role, 'all'>>(
  role: R,
  start: (cfg: ConfigOf<R>) => Promise<Running>,
  opts: { linkLimit?: (cfg: ConfigOf<R>) => number } = {},
): Promise<void> {
  const cfg = loadConfigOrExit(role);
  // Every role reads the base group (catalog, logging, telemetry).
  const { telemetry } = cfg as unknown as Pick<Config, 'telemetry'>;
  const tracing = await startTracing(`edge-events-${role}`, telemetry, opts.linkLimit?.(cfg));
  const running = await start(cfg).catch(exitIfRefused);
  onStopSignal(async () => {
    await running.stop();
    await tracing.shutdown();
  });
}
