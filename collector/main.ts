// `npm run collector`: one collector process, configured by the environment; SIGTERM/SIGINT drain it.
import { runProcess } from '../process/mod.ts';
import { startCollector } from './start.ts';

await runProcess('collector', (cfg) => startCollector(cfg));
