// `npm test`: runs every *.test.ts in its own process, tier by tier (test/support/tiers.ts says which file is in which,
// by where it lives): first the unit tests — every test beside the code (x.test.ts) and the few in test/ that
// UNIT_IN_TEST names; they start no server and no process of the product, and test/tiers.test.ts checks that — then
// the service suites in test/ (against real nats-server, ClickHouse, S3), two at a time as the unit tests, then the
// heavy suites (fault injection, clusters, the browser) one at a time. Each file is bounded in time; failures are
// shown in full; the last line is `N passed, N failed`. `npm run test:unit` (`--unit`) runs the unit tests only;
// other arguments keep the files whose path contains one of them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { testFiles, tierOf, UNIT_IN_TEST } from './tiers.ts';

const ROOT = process.cwd();
const FILE_TIMEOUT_MS = 5 * 60_000;
const PARALLEL = 2;

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  output: string;
  ms: number;
}

/** Process groups of the files running now: Ctrl-C (or a TERM) stops them and the servers they started. */
const groups = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exit(130);
  });
}

function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, file)], {
      env: { ...process.env, NODE_DISABLE_COLORS: '1', FORCE_COLOR: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a file killed for taking too long takes the servers it started with it.
      detached: true,
    });
    groups.add(child.pid!);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run-tests] killed after ${FILE_TIMEOUT_MS / 1000}s`;
      process.kill(-child.pid!, 'SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      groups.delete(child.pid!);
      clearTimeout(timer);
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      let failed = total - passed - skipped;
      // A file that crashed, hung or ran nothing counts as a failure of its own.
      if ((code !== 0 && failed === 0) || total === 0) failed += 1;
      resolve({ file, passed, failed, output, ms: Date.now() - started });
    });
  });
}

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const only = args.filter((a) => a !== '--unit');
const files = testFiles(ROOT).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const results: FileResult[] = [];
const run = async (queue: string[], parallel: number) =>
  Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const r = await runFile(file);
        results.push(r);
        const mark = r.failed ? 'FAIL' : 'ok  ';
        console.log(`${mark} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)}s)`);
        if (r.failed || process.env.VERBOSE) console.log(r.output.replace(/^/gm, '    '));
      }
    }),
  );
// The unit tests listed in test/ first, slowest first, so the short ones fill in beside them.
const unit = files.filter((f) => tierOf(f) === 'unit');
await run(
  [...UNIT_IN_TEST.filter((f) => unit.includes(f)), ...unit.filter((f) => !UNIT_IN_TEST.includes(f))],
  PARALLEL,
);
if (!unitOnly) {
  await run(
    files.filter((f) => tierOf(f) === 'service'),
    PARALLEL,
  );
  await run(
    files.filter((f) => tierOf(f) === 'heavy'),
    1,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
