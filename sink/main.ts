// `npm run sink`: one sink process, configured by the environment; SIGTERM/SIGINT finish the batch
// in hand, flush acks and exit 0.
import { loadConfigOrExit } from '../shared/mod.ts';
import { startSink } from './start.ts';

const running = await startSink(loadConfigOrExit(process.env));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void running.stop().then(() => process.exit(0)));
}
