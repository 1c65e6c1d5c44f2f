// `npm run archiver`: one archiver process, configured by the environment; SIGTERM/SIGINT write the files it holds,
// then exit 0.
import { exitIfRefused, loadConfigOrExit, onStopSignal } from '../shared/mod.ts';
import { startArchiver } from './start.ts';

const cfg = loadConfigOrExit();
const running = await startArchiver(cfg).catch(exitIfRefused);
onStopSignal(() => running.stop());
