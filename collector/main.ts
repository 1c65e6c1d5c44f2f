// `npm run collector`: one collector process, configured by the environment; SIGTERM/SIGINT drain it.
import { loadConfigOrExit, startTracing } from '../shared/mod.ts';
import { startCollector } from './start.ts';

const cfg = loadConfigOrExit();
const tracing = await startTracing('edge-events-collector', cfg.telemetry);
const running = await startCollector(cfg);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await running.stop();
    await tracing.shutdown();
    process.exit(0);
  });
}
