// A wrong catalog file stops the processes at start — the collector, the sink and `npm run catalog -- check` — with
// exit code 2 and a message naming the file, the line, the type and the field, never a stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const BAD = `types:
  - name: SignupCompleted
    description: A user finished signing up.
    time: signed_up_at
    fields:
      signed_up_at: { type: datetime }
      plan: { type: enum, values: [] }
`;

/** Runs a TypeScript entry point with the environment given; resolves with its exit code and output. */
const run = (file: string, args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', file, ...args], {
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });

test('collector, sink and the check command refuse a wrong catalog file by name, line, type and field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-badcatalog-'));
  const file = join(dir, 'events.yaml');
  writeFileSync(file, BAD);
  // Nothing listens on these: a process that got past its catalog would wait, not exit.
  const env = {
    EVENT_CATALOG: file,
    NATS_URL: 'nats://127.0.0.1:1',
    CLICKHOUSE_URL: 'http://127.0.0.1:1',
    PORT: '0',
    SINK_PORT: '0',
  };
  try {
    for (const [entry, args] of [
      ['collector/main.ts', []],
      ['sink/main.ts', []],
      ['cli/catalog.ts', ['check']],
    ] as const) {
      const { code, out } = await run(entry, [...args], env);
      assert.is(code, 2, `${entry}: ${out}`);
      assert.ok(
        out.includes(`${file}:7: type SignupCompleted, field plan: an enum needs at least one value`),
        `${entry}: ${out}`,
      );
      assert.not.match(out, /\n\s+at /, `${entry}: no stack trace`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
