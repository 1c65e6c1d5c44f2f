// `npm run bench [-- <name> [--events N] [--seconds S]]`: runs the named benchmarks (default: http and e2e).
import { parseArgs } from 'node:util';
import { benchmarks, defaults } from './mod.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { events: { type: 'string' }, seconds: { type: 'string' } },
});
const names = positionals.length ? positionals : defaults;
for (const name of names) {
  const bench = benchmarks[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; have: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
  console.error(`— ${name}`);
  await bench({
    events: values.events ? Number(values.events) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
  });
}
