// The tier of each test file, by where it lives — a rule that cannot drift, checked by test/tiers.test.ts:
// - unit: every test beside the code (x.test.ts outside test/), and the few in test/ listed in UNIT_IN_TEST. They
//   start no server (nats-server, ClickHouse, S3, a browser) and no process of the product; `npm run test:unit`
//   runs them, and `npm test` runs them first.
// - service: the rest of test/ — the tests against real services, which test/support starts.
// - heavy: the service suites that load the machine themselves (fault injection, clusters, the browser).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Tier = 'unit' | 'service' | 'heavy';

/** Tests in test/ that need no server: they read the sources and run tools (tsc, git), never the product. Slowest
 *  first: the runner starts them first. */
export const UNIT_IN_TEST = [
  'test/typecheck.test.ts',
  'test/format.test.ts',
  'test/layout.test.ts',
  'test/tiers.test.ts',
];
/** Suites that load the machine themselves (faults, clusters, the browser; erase starts a cluster): run alone, so
 *  neither they nor their neighbours starve. */
const HEAVY = /(fault-suite|cluster|cluster-faults|console|erase)\.test\.ts$/;

/** `file` relative to the repository root. */
export function tierOf(file: string): Tier {
  if (!file.startsWith('test/') || UNIT_IN_TEST.includes(file)) return 'unit';
  return HEAVY.test(file) ? 'heavy' : 'service';
}

const SKIP = new Set(['node_modules', '.git', '.data', '.scratch', 'dist']);

/** Every *.test.ts under `root`, relative to it, sorted. */
export function testFiles(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      if (SKIP.has(name)) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return testFiles(root, path);
      return name.endsWith('.test.ts') ? [relative(root, path)] : [];
    })
    .sort();
}
