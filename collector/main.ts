// `npm run collector`: one collector process, configured by the environment; SIGTERM/SIGINT drain it.
import { loadConfigOrExit } from '../shared/mod.ts';
import { startCollector } from './start.ts';

const running = await startCollector(loadConfigOrExit(process.env));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void running.stop().then(() => process.exit(0)));
}
