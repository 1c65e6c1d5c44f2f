// `npm run bench -- archive`: what the cold tier costs beside the hot one. The stream is filled once with N events
// (the collector's rows, 500 to a message); then the sink alone drains its consumer into ClickHouse (18.16 server),
// then the archiver alone drains its own into Parquet files in a folder. For each: events/s, CPU (its process only),
// events per CPU-second, and bytes per event (the stream's JSON against the files written).
import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventSubject } from '../shared/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { connectNats, createPublisher } from '../streams/mod.ts';
import {
  applyStreams,
  defaultCatalog,
  processEnv,
  spawnService,
  startServices,
  waitUntilAcked,
  type Services,
} from '../test/support/mod.ts';
import { ARCHIVER_CONSUMER, SINK_CONSUMER } from '../streams/mod.ts';
import { cpuSeconds } from './measure.ts';
import { progress, writeSection } from './results.ts';

/** N events of the fallback type, published as the collector would (rows with event_id and received_at). */
async function fill(url: string, n: number): Promise<number> {
  const link = await connectNats(url, 'bench fill', createLogger('bench', 'silent'));
  const publisher = createPublisher(link, { timeoutMs: 10_000, maxEventsPerMessage: 500 });
  let bytes = 0;
  const key = defaultCatalog().fallback!.key;
  const screens = ['main', 'course', 'payment', 'profile', 'search'];
  for (let i = 0; i < n; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, n - i) }, (_, j) => {
      const k = i + j;
      const at = new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString().slice(0, 19).replace('T', ' ');
      const line = JSON.stringify({
        dt: at,
        event: k % 7 ? 'view' : 'pay',
        user_id: `u${k % 5000}`,
        screen: screens[k % 5],
        elem: 'button',
        amount: k % 7 ? 0 : (k % 100) * 10,
        event_id: randomUUID(),
        received_at: `${at}.000`,
        catalog_version: 0,
      });
      bytes += line.length + 1;
      return { subject: eventSubject(key), line, id: `fill-${k}` };
    });
    const results = await publisher.publish(batch);
    if (results.some(Boolean)) throw new Error(`fill: ${results.find(Boolean)!.message}`);
  }
  await link.nc.drain();
  return bytes;
}

interface Drain {
  seconds: number;
  cpu: number;
}

/** Starts `role` on the filled stream and times it until its consumer has acked everything. */
async function drain(services: Services, env: Record<string, string>, role: 'sink' | 'archiver'): Promise<Drain> {
  const started = Date.now();
  const proc = await spawnService(role, env, services.dir);
  try {
    await waitUntilAcked(services.nats.url, 600_000, role === 'sink' ? SINK_CONSUMER : ARCHIVER_CONSUMER);
    return { seconds: (Date.now() - started) / 1000, cpu: cpuSeconds(proc.pid) };
  } finally {
    await proc.terminate();
  }
}

const folderBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );

export async function archive(opts: { events?: number } = {}): Promise<void> {
  const n = opts.events ?? 1_000_000;
  progress('archive', 0, 3);
  const services = await startServices('server');
  try {
    const env = await processEnv(services, { ARCHIVE_FLUSH_SECONDS: '5' });
    await applyStreams(services.config(env));
    const jsonBytes = await fill(services.nats.url, n);
    progress('archive', 1, 3);
    const sink = await drain(services, env, 'sink');
    progress('archive', 2, 3);
    const archiver = await drain(services, env, 'archiver');
    progress('archive', 3, 3);
    const parquetBytes = folderBytes(join(services.dir, 'data', 'archive'));
    const row = (name: string, d: Drain, bytes: string) =>
      `| ${name} | ${n} | ${d.seconds.toFixed(1)} | **${Math.round(n / d.seconds)}** | ` +
      `${(d.cpu / d.seconds).toFixed(2)} | ` +
      `**${Math.round(n / d.cpu)}** | ${bytes} |`;
    const table = [
      '| consumer | events | drained in s | events/s | CPU (cores) | events per CPU-second | bytes per event |',
      '|---|---:|---:|---:|---:|---:|---|',
      row('sink → ClickHouse 18.16', sink, `${(jsonBytes / n).toFixed(0)} as JSON in the stream and the INSERT`),
      row('archiver → Parquet files', archiver, `**${(parquetBytes / n).toFixed(1)}** in the files (snappy)`),
    ].join('\n');
    console.log(`\n${table}`);
    writeSection(
      'archive',
      'The cold tier: archiver throughput beside the sink',
      'npm run bench -- archive',
      `Stream EVENTS is filled with ${n} events of the fallback type (as the collector writes them, 500 to a message),
then the sink alone drains its consumer into clickhouse-server 18.16, and the archiver alone drains its own into
Parquet files in a local folder (ARCHIVE_FLUSH_SECONDS=5, ARCHIVE_FILE_BYTES 64 MiB). Each runs as its own process
(\`npm run sink\`, \`npm run archiver\`); *drained in s* is from its start until its consumer has acked every message,
CPU is that process's user+system time ÷ the same span (ClickHouse's own work is not in the sink's figure).

${table}`,
    );
  } finally {
    await services.cleanup();
  }
}
