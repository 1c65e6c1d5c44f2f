// The single-file collector (`npm run build:binary`), run as a user would: from a folder holding nothing else, its
// settings as flags. It answers --help and --version and refuses an unknown flag; events posted to it land in
// JetStream, enriched from the catalog and the country database built into it; it exports spans over OTLP and serves
// /metrics; and on SIGTERM under load it exits 0 with every event it answered 202 for in the stream, once.
import { createServer, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as assert from 'uvu/assert';
import { spawnOwned, waitFor, type OwnedProcess } from '../local/mod.ts';
import { binaryOf, buildBinaries } from '../tools/build-binary.ts';
import { freePort, post, postJson, servicesSuite, storedEvents, type ServicesContext } from './support/mod.ts';

interface Ctx {
  binary: string;
  /** An empty folder to run it in: no catalog, no node_modules. */
  cwd: string;
  receiver: Server;
  traces: string[];
}

const test = servicesSuite<Ctx>('single-file collector', {
  streams: true,
  stop: (ctx) => {
    ctx.receiver?.close();
    if (ctx.cwd) rmSync(ctx.cwd, { recursive: true, force: true });
  },
});

test.before(async (ctx) => {
  buildBinaries(['linux-x64']);
  ctx.binary = resolve(binaryOf('linux-x64'));
  ctx.cwd = mkdtempSync(join(tmpdir(), 'edge-collector-'));
  ctx.traces = [];
  // A real OTLP/HTTP receiver (the exporter's JSON encoding).
  ctx.receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') ctx.traces.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => ctx.receiver.listen(0, '127.0.0.1', r));
});

const run = promisify(execFile);

async function started(ctx: Ctx & ServicesContext, port: number, flags: string[] = []): Promise<OwnedProcess> {
  const otlp = `http://127.0.0.1:${(ctx.receiver.address() as { port: number }).port}`;
  const proc = spawnOwned(
    ctx.binary,
    [`--nats-url=${ctx.services.nats.url}`, '--host', '127.0.0.1', `--port=${port}`, ...flags],
    join(ctx.cwd, `collector-${port}.log`),
    {
      cwd: ctx.cwd,
      env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_BSP_SCHEDULE_DELAY: '200' },
    },
  );
  await waitFor(
    'the binary to be ready',
    async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined),
    15_000,
  );
  return proc;
}

test('--version, --help, and an unknown flag refused before anything starts', async (ctx) => {
  const version = await run(ctx.binary, ['--version'], { cwd: ctx.cwd });
  assert.match(version.stdout, /^edge-collector \d+\.\d+\.\d+\n$/);
  const help = await run(ctx.binary, ['--help'], { cwd: ctx.cwd });
  assert.match(help.stdout, /--nats-url=… {2}\(NATS_URL/);
  assert.match(help.stdout, /--trusted-proxies=…/);
  assert.not.match(help.stdout, /--clickhouse-url/, "no other process's settings");
  const wrong = await run(ctx.binary, ['--clickhouse-url=http://x'], { cwd: ctx.cwd }).catch((e) => e);
  assert.is(wrong.code, 2);
  assert.match(wrong.stderr, /unknown argument "--clickhouse-url=http:\/\/x"; --help lists the settings/);
  const secret = await run(ctx.binary, ['--nats-password=hunter2hunter2'], { cwd: ctx.cwd }).catch((e) => e);
  assert.is(secret.code, 2);
  assert.match(secret.stderr, /give NATS_PASSWORD in the environment/);
  assert.not.match(secret.stderr, /hunter2/);
  assert.match(help.stdout, /NATS_PASSWORD {2}\(environment only: a secret\)/);
});

test('events land, enriched from the built-in catalog and country database; spans exported; /metrics', async (ctx) => {
  const port = await freePort();
  const proc = await started(ctx, port, ['--trusted-proxies', '1']);
  try {
    const url = `http://127.0.0.1:${port}`;
    const res = await post(
      `${url}/v1/events`,
      JSON.stringify({ event_id: 'bin-1', dt: '2024-06-01T10:00:00Z', event: 'view', user_id: 'b' }),
      {
        'content-type': 'application/json',
        'x-forwarded-for': '8.8.8.8',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      },
    );
    assert.is(res.status, 202, res.text);
    const batch = [2, 3].map((i) => ({
      event_id: `bin-${i}`,
      timestamp: '2024-06-01 10:00:00',
      user_id: i,
      page_id: 1,
    }));
    assert.is((await postJson(`${url}/v1/events/PageVisit`, batch)).status, 202);
    const stored = await storedEvents(ctx.services.nats.url);
    const first = stored.find((e) => e.event_id === 'bin-1');
    assert.equal(
      [first?.country, first?.browser, first?.os],
      ['US', 'Firefox', 'Linux'],
      'the geo database and catalog built in',
    );
    assert.ok(['bin-2', 'bin-3'].every((id) => stored.some((e) => e.event_id === id)));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /edge_events_events_total\{type="page_visit",outcome="accepted"\} 2/);
    await waitFor('spans at the OTLP receiver', async () =>
      ctx.traces.some((t) => t.includes('edge-events-collector')) ? true : undefined,
    );
  } finally {
    await proc.stop();
  }
});

test('SIGTERM under load: exits 0, and every event answered 202 is in the stream once', async (ctx) => {
  const port = await freePort();
  const proc = await started(ctx, port);
  const url = `http://127.0.0.1:${port}/v1/events`;
  const accepted: string[] = [];
  let stopping = false;
  // 20 clients post single events until the server stops answering (at most 3 s, 1,000 events each).
  const client = async (c: number) => {
    const deadline = Date.now() + 3000;
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
      const id = `term-${c}-${i}`;
      const body = { event_id: id, dt: '2024-06-01T10:00:00Z', event: 'term', user_id: `u${c}` };
      const res = await postJson(url, body).catch(() => undefined);
      if (res?.status === 202) accepted.push(id);
      else if (stopping) return;
    }
  };
  const load = Promise.all(Array.from({ length: 20 }, (_, c) => client(c)));
  await waitFor('some events accepted', async () => (accepted.length >= 200 ? true : undefined));
  stopping = true;
  proc.signal('SIGTERM');
  const code = await proc.exited;
  await load;
  assert.is(code, 0, 'a clean exit');
  const stored = (await storedEvents(ctx.services.nats.url))
    .map((e) => e.event_id as string)
    .filter((id) => id.startsWith('term-'));
  const missing = accepted.filter((id) => !stored.includes(id));
  assert.equal(missing, [], `${accepted.length} accepted, ${stored.length} stored`);
  assert.is(new Set(stored).size, stored.length, 'none twice');
});

test.run();
