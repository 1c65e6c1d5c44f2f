// `npm run sink`: one sink process, configured by the environment; SIGTERM/SIGINT finish the batch
// in hand, flush acks and spans, and exit 0.
import { exitIfRefused, loadConfigOrExit, onStopSignal } from '../shared/mod.ts';
import { startTracing } from '../shared/node/mod.ts';
import { startSink } from './start.ts';

const cfg = loadConfigOrExit();
const tracing = await startTracing('edge-events-sink', cfg.telemetry, cfg.sink.batchSize);
const running = await startSink(cfg).catch(exitIfRefused);
onStopSignal(async () => {
  await running.stop();
  await tracing.shutdown();
});
