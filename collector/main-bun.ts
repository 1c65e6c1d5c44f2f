// `npm run collector:bun`: the collector under Bun, from the source tree (bun.ts); `--help` lists its flags.
import { runOnBun } from './bun.ts';

await runOnBun({ version: 'from source' });
