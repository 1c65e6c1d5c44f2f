// `npm test`: runs every *.test.ts in its own process (two at a time, each bounded in time; the heavy suites — fault
// injection, clusters, the browser — afterwards, one at a time), shows failures in full, and ends with the line
// `N passed, N failed`.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = process.cwd();
const FILE_TIMEOUT_MS = 5 * 60_000;
const PARALLEL = 2;
/** Suites that load the machine themselves: run alone, so neither they nor their neighbours starve. */
const ALONE = /(fault-suite|cluster|cluster-faults|console)\.test\.ts$/;
const SKIP = new Set(['node_modules', '.git', '.data', '.scratch']);

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

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
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
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
      resolve({ file: relative(ROOT, file), passed, failed, output, ms: Date.now() - started });
    });
  });
}

const only = process.argv.slice(2);
const files = find(ROOT)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
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
await run(
  files.filter((f) => !ALONE.test(f)),
  PARALLEL,
);
await run(
  files.filter((f) => ALONE.test(f)),
  1,
);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
