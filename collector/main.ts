// `npm run collector`: one collector process, configured by the environment; SIGTERM/SIGINT drain it.
import { exitIfRefused, loadConfigOrExit, onStopSignal } from '../shared/mod.ts';
import { startTracing } from '../shared/node/mod.ts';
import { startCollector } from './start.ts';

const cfg = loadConfigOrExit();
const tracing = await startTracing('edge-events-collector', cfg.telemetry);
const running = await startCollector(cfg).catch(exitIfRefused);
onStopSignal(async () => {
  await running.stop();
  await tracing.shutdown();
});
