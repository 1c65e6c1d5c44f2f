// `npm run bench [-- <name> [--events N]]`: runs one benchmark, or all of them, in its own processes.
import { parseArgs } from 'node:util';
import { benchmarks } from './mod.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { events: { type: 'string' } } });
const names = positionals.length ? positionals : Object.keys(benchmarks);
for (const name of names) {
  const bench = benchmarks[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; have: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
  console.error(`— ${name}`);
  await bench({ events: values.events ? Number(values.events) : undefined });
}
