// `npm run reader`: the reading API as its own process, configured by the environment; SIGTERM/SIGINT stop it.
import { exitIfRefused, loadConfigOrExit, onStopSignal } from '../shared/mod.ts';
import { startReader } from './start.ts';

const cfg = loadConfigOrExit();
const running = await startReader(cfg).catch(exitIfRefused);
onStopSignal(() => running.stop());
