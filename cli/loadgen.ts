// `npm run loadgen -- --rps 300 [--duration 60] [--url http://localhost:8080] [--batch 1]`: an open-loop load of
// the catalog's events against a collector, with a live line of what was sent, accepted, refused and how fast.
import { parseArgs } from 'node:util';
import { exitIfRefused } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { describeLoad, startLoadgen } from '../demo/mod.ts';

const cfg = loadConfigOrExit();
const { values } = parseArgs({
  options: {
    rps: { type: 'string' },
    duration: { type: 'string' },
    url: { type: 'string' },
    batch: { type: 'string' },
  },
});
const rps = Number(values.rps ?? 300);
const batch = Number(values.batch ?? 1);
if (!(rps > 0) || !(batch >= 1) || (values.duration !== undefined && !(Number(values.duration) > 0))) {
  console.error('usage: npm run loadgen -- --rps 300 [--duration 60] [--url http://localhost:8080] [--batch 1]');
  process.exit(2);
}
let catalog;
try {
  catalog = loadCatalogFiles(cfg.catalog.paths);
} catch (err) {
  exitIfRefused(err);
}
const load = startLoadgen({
  url: values.url ?? `http://localhost:${cfg.collector.port}`,
  rps,
  batch,
  catalog,
  durationSeconds: values.duration ? Number(values.duration) : undefined,
  writeKey: cfg.collector.sources[0]?.key,
});
const live = setInterval(() => process.stderr.write(`\r${describeLoad(load.stats(), rps)}   `), 1000);
process.once('SIGINT', () => void load.stop());
const final = await load.done;
clearInterval(live);
process.stderr.write(`\r${describeLoad(final, rps)}\n`);
