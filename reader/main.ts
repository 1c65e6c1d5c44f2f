// `npm run reader`: the reading API as its own process, configured by the environment; SIGTERM/SIGINT stop it.
import { runProcess } from '../process/mod.ts';
import { startReader } from './start.ts';

await runProcess('reader', (cfg) => startReader(cfg));
