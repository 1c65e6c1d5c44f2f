// `npm run demo [-- --days 180 --users 300 --url http://localhost:8080]`: deterministic demo data sent through the
// collector (the real path), with a progress bar; sending it again adds no rows to results.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { demoSize, sendDemo } from '../demo/mod.ts';

const cfg = loadConfigOrExit();
const { values } = parseArgs({
  options: { days: { type: 'string' }, users: { type: 'string' }, url: { type: 'string' } },
});
const opts = { days: Number(values.days ?? 180), users: Number(values.users ?? 300) };
if (!(opts.days >= 1 && opts.days <= 3660) || !(opts.users >= 1)) {
  console.error('usage: npm run demo -- [--days 180] [--users 300] [--url http://localhost:8080]');
  process.exit(2);
}
const total = demoSize(opts);
const bar = (done: number) => {
  const filled = Math.min(30, Math.round((done / total) * 30));
  process.stderr.write(`\rdemo [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} events`);
};
const url = values.url ?? `http://localhost:${cfg.collector.port}`;
const result = await sendDemo(url, opts, bar, cfg.collector.sources[0]?.key);
process.stderr.write('\n');
console.log(`sent ${result.sent} events (${opts.days} days, ${opts.users} users) to ${url}; refused ${result.refused}`);
if (result.refused) process.exitCode = 1;
