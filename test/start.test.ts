// `npm start` as a newcomer uses it: the whole pipeline in one command on embedded defaults, seed
// 000's curl examples run verbatim (real curl), `npm run query` shows the rows, Ctrl-C stops it all; its parts talk
// to its nats-server each as its own NATS user.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, waitFor } from './support/mod.ts';

const run = promisify(execFile);
const test = suite('npm start');

// Seed 000's examples, as written there, but for the port this run listens on.
const SEED_CURLS = [
  `curl -X POST "http://localhost:18888/events/" -F dt=2025-03-01T11:11:11Z -F event=test -F userid=1`,
  `curl -X POST "http://localhost:18888/events/" -H "Content-Type: application/json" ` +
    `--data '{"dt":"2020-01-01T14:16:34Z", "userid": "1", "event": "view", "screen": "main", "elem": "screen"}'`,
  `curl -X POST "http://localhost:18888/events/" -H "Content-Type: application/json" ` +
    `--data '{"dt":"2020-01-01T14:16:34Z", "userid": "1", "event": "view", "screen": "course", "elem": "screen", ` +
    `"amount": 100}'`,
  `curl -X POST "http://localhost:18888/events/" -F dt=2020-01-01T14:16:34Z -F event=pay -F userid=1 ` +
    `-F screen=payment -F amount=100`,
];

test('starts, accepts the seed curl examples, shows them via npm run query, stops on Ctrl-C', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-start-'));
  const [port, sinkPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dir,
    PORT: String(port),
    SINK_PORT: String(sinkPort),
    ARCHIVE_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  };
  delete env.NATS_URL;
  delete env.CLICKHOUSE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor('the start banner', async () => (out.includes('edge-events is running') ? true : undefined), 60_000);
    assert.match(out, `http://localhost:${port}`);
    for (const cmd of SEED_CURLS) {
      const { stdout } = await run('bash', ['-c', `${cmd.replace(':18888', `:${port}`)} -s -w ' %{http_code}'`]);
      assert.match(stdout, /"status":"accepted".* 200$/, cmd);
    }
    const query = 'SELECT event, screen, amount FROM edge_events.events FINAL ORDER BY event, screen FORMAT TSV';
    let tsv = '';
    await waitFor(
      'four rows',
      async () => {
        tsv = (await run(process.execPath, ['--import', 'tsx', 'cli/query.ts', query], { env })).stdout;
        return tsv.trim().split('\n').length === 4 ? true : undefined;
      },
      30_000,
    );
    assert.is(tsv, 'pay\tpayment\t100\ntest\t\t0\nview\tcourse\t100\nview\tmain\t0\n');

    child.kill('SIGINT');
    assert.is(await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]), 0);
    assert.match(out, /"acked":4/);
    // Stopping wrote the archiver's open file: the cold tier holds the four events, and ClickHouse reads it there.
    const list = (await run(process.execPath, ['--import', 'tsx', 'cli/archive.ts', 'list'], { env })).stdout;
    assert.match(list, /^events\t\d+\t\d+\t4\t/m, list);
    const cold = `SELECT count() FROM file('${dir}/archive/type=events/*/*/*.parquet', Parquet) FORMAT TSV`;
    assert.is((await run(process.execPath, ['--import', 'tsx', 'cli/query.ts', cold], { env })).stdout, '4\n');
    // Its nats-server has a user per role, passwords made for this run in 0600 files and nowhere in its nats.conf;
    // every part connected as its own user and was refused nothing.
    const passwords = ['collector', 'sink', 'archiver', 'reader', 'jobs'].map((role) => {
      const file = join(dir, 'nats', 'users', `${role}.password`);
      assert.is(statSync(file).mode & 0o777, 0o600, file);
      return readFileSync(file, 'utf8').trim();
    });
    const conf = readFileSync(join(dir, 'nats', 'nats.conf'), 'utf8');
    assert.ok(passwords.every((p) => p.length >= 24 && !conf.includes(p) && !out.includes(p)));
    const natsLog = readFileSync(join(dir, 'nats', 'nats-server.log'), 'utf8');
    assert.match(natsLog, 'Using configuration file');
    assert.not.match(natsLog, /violation/i);
    const natsLeft = await run('pgrep', ['-f', join(dir, 'nats', 'store')]).then(
      (r) => r.stdout,
      () => '',
    );
    assert.is(natsLeft, '', 'the nats-server child was stopped');
  } catch (err) {
    console.error(out);
    throw err;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
