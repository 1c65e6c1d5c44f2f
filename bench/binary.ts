// `npm run bench -- binary`: the single-file collector (`npm run build:binary`: Bun and the collector in one
// executable) beside the Node collector (`npm run collector`: the bundle on Node with uWS), in the same run against
// the same nats-server: time from start to ready, resident memory idle and under load, and requests/s and CPU per
// event for single events and 100-event batches. The two take the load in turn (A B, B A, …) so that the machine's
// drift weighs on both alike.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadConfig } from '../shared/config/mod.ts';
import { spawnOwned, type OwnedProcess } from '../local/mod.ts';
import { applyConfiguredTopology, EVENTS_STREAM } from '../streams/mod.ts';
import { buildBundles } from '../tools/build.ts';
import { binaryOf, buildBinaries } from '../tools/build-binary.ts';
import { defaultCatalog, freePort, startNatsServer } from '../test/support/mod.ts';
import { autocannon, cpuSeconds, peakRssMiB } from './measure.ts';
import { progress, writeSection } from './results.ts';

const SINGLE = JSON.stringify({ dt: '2024-06-01T12:00:00Z', event: 'bench', user_id: 'u1', screen: 'main' });
const BATCH = JSON.stringify(
  Array.from({ length: 100 }, (_, i) => ({ dt: '2024-06-01T12:00:00Z', event: 'bench', user_id: `u${i}`, amount: i })),
);
const STARTS = 5;
const ROUNDS = 4;

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Pkg = { scripts: { collector: string } };

interface Collector {
  name: string;
  command: [string, string[]];
}

interface Figures {
  readyMs: number[];
  idleMiB: number;
  single: { rps: number[]; cpu: number[] };
  batch: { rps: number[]; cpu: number[] };
  peakMiB: number;
}

export async function binary(opts: { seconds?: number } = {}): Promise<Figures[]> {
  const seconds = opts.seconds ?? 6;
  await buildBundles();
  const [built] = buildBinaries(['linux-x64']);
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-bench-'));
  const nats = await startNatsServer({ dir: join(dir, 'nats') });
  const env = { NATS_URL: nats.url, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PATH: process.env.PATH ?? '' };
  const nc = await connect({ servers: nats.url });
  await applyConfiguredTopology(nc, loadConfig(env), defaultCatalog());
  const jsm = await jetstreamManager(nc);
  // `npm run collector` as package.json says it (node and its flags, the bundle).
  const [, ...nodeArgs] = (JSON.parse(readFileSync('package.json', 'utf8')) as Pkg).scripts.collector.split(' ');
  const collectors: Collector[] = [
    { name: 'Node collector (npm run collector)', command: [process.execPath, nodeArgs] },
    { name: 'single file (npm run build:binary)', command: [resolve(binaryOf('linux-x64')), []] },
  ];
  const steps = collectors.length * (STARTS + 1) + ROUNDS * 2 * collectors.length;
  let step = 0;
  const start = async (c: Collector, port: number) => {
    const t0 = performance.now();
    const proc = spawnOwned(c.command[0], c.command[1], join(dir, 'collector.log'), {
      env: { ...env, PORT: String(port) },
      cwd: resolve('.'),
    });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${c.name} not ready within 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return { proc, readyMs: performance.now() - t0 };
  };
  const figures: Figures[] = [];
  const running: { proc: OwnedProcess; port: number }[] = [];
  try {
    for (const c of collectors) {
      const readyMs: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        progress('binary', step++, steps);
        const { proc, readyMs: ms } = await start(c, await freePort());
        readyMs.push(ms);
        await proc.stop();
      }
      progress('binary', step++, steps);
      const port = await freePort();
      const { proc } = await start(c, port);
      await new Promise((r) => setTimeout(r, 2000));
      running.push({ proc, port });
      const f: Figures = {
        readyMs,
        idleMiB: rssMiB(proc.pid),
        single: { rps: [], cpu: [] },
        batch: { rps: [], cpu: [] },
        peakMiB: 0,
      };
      figures.push(f);
    }
    // Warm-up, then rounds: each collector takes single events, then batches, in alternating order.
    for (const { port } of running) {
      await autocannon(`http://127.0.0.1:${port}/v1/events`, SINGLE, { seconds: 2 });
      await autocannon(`http://127.0.0.1:${port}/v1/events`, BATCH, { seconds: 2 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) {
        const { proc, port } = running[i]!;
        for (const [kind, body, events] of [
          ['single', SINGLE, 1],
          ['batch', BATCH, 100],
        ] as const) {
          progress('binary', step++, steps);
          const cpu0 = cpuSeconds(proc.pid);
          const r = await autocannon(`http://127.0.0.1:${port}/v1/events`, body, { seconds });
          await new Promise((res) => setTimeout(res, 500));
          const cpu = cpuSeconds(proc.pid) - cpu0;
          figures[i]![kind].rps.push(r.rps);
          figures[i]![kind].cpu.push((cpu / (r.sent * events)) * 1e6);
          await jsm.streams.purge(EVENTS_STREAM);
        }
      }
    }
    for (const [i, { proc }] of running.entries()) figures[i]!.peakMiB = peakRssMiB(proc.pid);
  } finally {
    for (const { proc } of running) await proc.stop();
    await nc.close();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  progress('binary', steps, steps);

  const n = (x: number, digits = 0) => x.toFixed(digits);
  const row = (c: Collector, f: Figures) => {
    const ready = `${n(median(f.readyMs))} (${n(Math.min(...f.readyMs))}–${n(Math.max(...f.readyMs))})`;
    const single = `${n(median(f.single.rps))} | ${n(median(f.single.cpu))}`;
    const batch = `${n(median(f.batch.rps) * 100)} | ${n(median(f.batch.cpu), 1)}`;
    return `| ${c.name} | ${ready} | ${n(f.idleMiB)} | ${n(f.peakMiB)} | ${single} | ${batch} |`;
  };
  const [node, bin] = figures as [Figures, Figures];
  const ratio = (a: number[], b: number[]) => n(median(b) / median(a), 2);
  const head = [
    'collector',
    'ready after start, ms: median (range)',
    'idle RSS MiB',
    'peak RSS MiB',
    'single events req/s',
    'CPU µs per event',
    'batches events/s',
    'CPU µs per event',
  ];
  const body = `
| ${head.join(' | ')} |
|---|---:|---:|---:|---:|---:|---:|---:|
${row(collectors[0]!, node)}
${row(collectors[1]!, bin)}

- the single file: **${n(built!.bytes / 2 ** 20, 1)} MiB** (Bun's runtime, the collector, the shipped catalog and
  country database)
- single file ÷ Node collector, requests/s: single events **${ratio(node.single.rps, bin.single.rps)}**, 100-event
  batches **${ratio(node.batch.rps, bin.batch.rps)}** (goal ≥ 0.90)
- goals: ready < 200 ms, idle RSS < 60 MiB

Both start against a running nats-server with the streams applied; "ready" is the first 200 from \`/readyz\` (which
needs NATS and stream EVENTS), polled every 2 ms from the spawn, ${STARTS} starts each. Idle RSS is VmRSS 2 s after
ready; peak is VmHWM after the load. The load is autocannon \`-c 100\` for ${seconds} s per segment, ${ROUNDS} rounds
in alternating order; the figures are the rounds' medians, CPU per event being the process's user + system time over
its segment ÷ the events of the requests sent. Both publish to the same stream, purged after each segment.`;
  writeSection('binary', 'The single-file collector beside the Node collector', 'npm run bench -- binary', body);
  console.log(body);
  return figures;
}
