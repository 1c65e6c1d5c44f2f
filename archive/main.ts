// `npm run archiver`: one archiver process, configured by the environment; SIGTERM/SIGINT write the files it holds,
// then exit 0.
import { runProcess } from '../process/mod.ts';
import { startArchiver } from './start.ts';

await runProcess('archiver', (cfg) => startArchiver(cfg));
