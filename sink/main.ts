// `npm run sink`: one sink process, configured by the environment; SIGTERM/SIGINT finish the batch in hand, flush
// acks and spans, and exit 0.
import { runProcess } from '../process/mod.ts';
import { startSink } from './start.ts';

await runProcess('sink', (cfg) => startSink(cfg), { linkLimit: (cfg) => cfg.sink.batchSize });
