// `npm run bench -- http`: HTTP ingestion on this machine, all in one run so ratios hold: the bare-uWS
// ceiling, the collector (single events, 100-event batches, tracing off and on, enrichment off and on), and peers —
// node:http and fastify written the usual way and in front of the collector's own core — and seed 000's API inserting
// into a ClickHouse Buffer table.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eventSubject } from '../shared/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { spawnOwned, waitFor, type OwnedProcess } from '../local/mod.ts';
import { defaultCatalog, freePort, spawnService, startClickHouseServer, startNatsServer } from '../test/support/mod.ts';
import { applyConfiguredTopology, EVENTS_STREAM } from '../streams/mod.ts';
import { startCollectors } from './collectors.ts';
import { batchOf, CLIENT_HEADERS, writeEnrichmentCatalog, type EnrichType } from './enrichment.ts';
import { alternating, autocannon, measured, type Alternated, type LoadResult } from './measure.ts';
import { progress, writeSection } from './results.ts';

export const SINGLE = JSON.stringify({
  dt: '2024-06-01T12:00:00Z',
  event: 'page_view',
  user_id: 'user-000042',
  screen: 'catalog',
  elem: 'product_card_main_image',
  amount: 1299,
  event_id_hint: 'x'.repeat(36),
});
export const BATCH = JSON.stringify(
  Array.from({ length: 100 }, (_, i) => ({
    dt: '2024-06-01T12:00:00Z',
    event: 'page_view',
    user_id: `user-${i}`,
    screen: 'catalog',
    elem: 'card',
    amount: i,
  })),
);

/** The peers' ways to validate and publish (bench/servers/peer.ts), each behind node:http and fastify. */
const PEER_KINDS = [
  ['js', 'valibot + awaited js.publish() per event'],
  ['core', 'the collector core and publisher, single events'],
] as const;

/** Rounds of the enrichment pair: each type runs `seconds / 2` per round. */
const ENRICH_ROUNDS = 3;

type Row = LoadResult & { name: string; what: string; events: number; cpu: number; rssMiB: number; steal: number };

/** What the enrichment adds: over all its segments, and the median of the rounds' differences (a round runs both). */
function enrichmentLine({ off, on }: Record<'off' | 'on', Alternated>): string {
  const us = (x: number) => (x * 1e6).toFixed(1);
  const diffs = on.rounds.map((x, i) => x - off.rounds[i]!).sort((a, b) => a - b);
  return (
    `enrichment (user agent, bots, geo, IP hash) adds **${us(on.cpuPerEvent - off.cpuPerEvent)} µs** of collector ` +
    `CPU per event on 100-event batches (${us(off.cpuPerEvent)} → ${us(on.cpuPerEvent)} µs; rounds' differences ` +
    `${diffs.map(us).join(', ')}, median ${us(diffs[diffs.length >> 1]!)}; target ≤ 2)`
  );
}

/** The server answers HTTP (any status: refusals during the run show in the table's non-2xx). */
async function ready(url: string) {
  await waitFor(
    `${url} to answer`,
    async () =>
      (await fetch(url, { method: 'POST', body: SINGLE, headers: { 'content-type': 'application/json' } }).catch(
        () => undefined,
      ))
        ? true
        : undefined,
    30_000,
  );
}

export async function http(opts: { seconds?: number } = {}): Promise<Row[]> {
  const seconds = opts.seconds ?? 8;
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-bench-'));
  const nats = await startNatsServer({ dir: join(dir, 'nats') });
  const clickhouse = await startClickHouseServer({ dir: join(dir, 'clickhouse') });
  const env = { NATS_URL: nats.url, CLICKHOUSE_URL: clickhouse.url, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const nc = await connect({ servers: nats.url });
  await applyConfiguredTopology(nc, loadConfig(env), defaultCatalog());
  const jsm = await jetstreamManager(nc);
  // A dummy OTLP receiver for the tracing-on run.
  const otlp = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
  await new Promise<void>((r) => otlp.listen(0, '127.0.0.1', r));
  const rows: Row[] = [];
  const steps = 11;
  let step = 0;
  const run = async (name: string, what: string, pid: number | number[], url: string, body: string, events: number) => {
    progress('http', step++, steps);
    await autocannon(url, body, { seconds: 2, connections: 100 }); // warm-up
    const r = await measured(pid, () => autocannon(url, body, { seconds, connections: 100 }));
    rows.push({ name, what, events: r.rps * events, ...r });
    await jsm.streams.purge(EVENTS_STREAM);
  };
  const node = (script: string, ...args: string[]) =>
    spawnOwned(process.execPath, ['--import', 'tsx', script, ...args], join(dir, `${args[0]}.log`), {
      env: { ...process.env, ...env },
    });
  const procs: OwnedProcess[] = [];
  let enrichment: Record<'off' | 'on', Alternated> | undefined;
  try {
    let port = await freePort();
    const bare = node('bench/servers/bare-uws.ts', String(port));
    procs.push(bare);
    await ready(`http://127.0.0.1:${port}/v1/events`);
    await run('bare uWS (ceiling)', 'answers 202, no work', bare.pid, `http://127.0.0.1:${port}/v1/events`, SINGLE, 1);
    await bare.stop();

    port = await freePort();
    const collector = await spawnService('collector', { ...env, PORT: String(port) }, dir);
    await run(
      'collector',
      'single events, 202 after PubAck',
      collector.pid,
      `http://127.0.0.1:${port}/v1/events`,
      SINGLE,
      1,
    );
    await run('collector', '100-event batches', collector.pid, `http://127.0.0.1:${port}/v1/events`, BATCH, 100);
    await collector.terminate();

    // Enrichment (#23): one collector, batches of a type without enrichment and of one with all of it, from browsers
    // behind a load balancer (bench/enrichment.ts); the two alternate in short segments, CPU summed over each's.
    port = await freePort();
    const catalog = writeEnrichmentCatalog(join(dir, 'catalog'));
    const enriching = await spawnService(
      'collector',
      { ...env, PORT: String(port), EVENT_CATALOG: `catalog,${catalog}`, TRUSTED_PROXIES: '1' },
      dir,
    );
    progress('http', step++, steps);
    const load = (type: EnrichType, s: number) => () =>
      autocannon(`http://127.0.0.1:${port}/v1/events`, batchOf(type), { seconds: s, headers: [...CLIENT_HEADERS] });
    await load('BenchPlain', 2)();
    await load('BenchEnriched', 2)();
    // The steps ran: the enriched type's last message has countries and daily hashes.
    const last = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventSubject('bench_enriched') });
    if (!/"country":"[A-Z]{2}".*"ip":"[0-9a-f]{32}"/.test(last?.string() ?? '')) {
      throw new Error(`no country or address hash in the enriched type's rows: ${last?.string().slice(0, 500)}`);
    }
    await jsm.streams.purge(EVENTS_STREAM);
    enrichment = await alternating(
      enriching.pid,
      { off: load('BenchPlain', seconds / 2), on: load('BenchEnriched', seconds / 2) },
      { rounds: ENRICH_ROUNDS, eventsPerRequest: 100, between: () => jsm.streams.purge(EVENTS_STREAM) },
    );
    for (const [name, what, r] of [
      ['collector, enrichment off', '100-event batches, browser UA + X-Forwarded-For', enrichment.off],
      ['collector, enrichment on', 'the same, type with UA, bots, geo, IP hash', enrichment.on],
    ] as const) {
      rows.push({ name, what, ...r, events: r.rps * 100, cpu: r.cpuPerEvent * r.rps * 100 });
    }
    await enriching.terminate();

    // Scaling out by process: two collectors on one port (SO_REUSEPORT), as replicas behind a Service.
    port = await freePort();
    const pair = await startCollectors(2, { ...env, PORT: String(port) }, dir);
    await run(
      '2 collector processes',
      '100-event batches, one port',
      pair.pids,
      `http://127.0.0.1:${port}/v1/events`,
      BATCH,
      100,
    );
    await pair.terminate();

    port = await freePort();
    const traced = await spawnService(
      'collector',
      {
        ...env,
        PORT: String(port),
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(otlp.address() as { port: number }).port}`,
      },
      dir,
    );
    await run(
      'collector, tracing on',
      'single events, spans exported',
      traced.pid,
      `http://127.0.0.1:${port}/v1/events`,
      SINGLE,
      1,
    );
    await traced.terminate();

    for (const [publish, what] of PEER_KINDS) {
      for (const http of ['node-http', 'fastify']) {
        port = await freePort();
        const p = node('bench/servers/peer.ts', http, publish, String(port));
        procs.push(p);
        await ready(`http://127.0.0.1:${port}/v1/events`);
        await run(`peer: ${http}, ${publish}`, what, p.pid, `http://127.0.0.1:${port}/v1/events`, SINGLE, 1);
        await p.stop();
      }
    }
    port = await freePort();
    const seed = node('bench/servers/seed000.ts', String(port));
    procs.push(seed);
    await ready(`http://127.0.0.1:${port}/events/`);
    await run(
      'peer: seed 000',
      'validate → INSERT into Buffer table',
      seed.pid,
      `http://127.0.0.1:${port}/events/`,
      SINGLE,
      1,
    );
    progress('http', steps, steps);
  } finally {
    for (const p of procs) await p.stop();
    otlp.close();
    await nc.close();
    await clickhouse.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const ceiling = rows[0]!.rps;
  const single = rows[1]!.rps;
  const by = (name: string) => rows.find((r) => r.name === name)!;
  const table = [
    '| server | what | req/s | events/s | p50 ms | p99 ms | non-2xx | CPU (cores) | CPU µs per event | ' +
      'stolen (cores) | peak RSS MiB | vs ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.what} | ${Math.round(r.rps)} | ${Math.round(r.events)} | ${r.p50} | ${r.p99} | ` +
        `${r.non2xx + r.errors} | ${r.cpu.toFixed(2)} | ${Math.round((r.cpu / r.events) * 1e6)} | ` +
        `${r.steal.toFixed(2)} | ${r.rssMiB.toFixed(0)} | ${(r.rps / ceiling).toFixed(2)} |`,
    ),
  ].join('\n');
  const ratios = [
    `collector ÷ ceiling: **${(single / ceiling).toFixed(2)}** (target ≥ 0.75)`,
    'collector ÷ peers written the usual way (valibot + `js.publish()`): ' +
      `node:http **${(single / by('peer: node-http, js').rps).toFixed(2)}**, ` +
      `fastify **${(single / by('peer: fastify, js').rps).toFixed(2)}** (target ≥ 2)`,
    'collector ÷ the same core behind another HTTP layer: ' +
      `node:http **${(single / by('peer: node-http, core').rps).toFixed(2)}**, ` +
      `fastify **${(single / by('peer: fastify, core').rps).toFixed(2)}** (what uWS alone buys)`,
    `100-event batches: **${Math.round(rows[2]!.events).toLocaleString('en')} events/s** ` +
      `from one collector process, **${Math.round(by('2 collector processes').events).toLocaleString('en')}** ` +
      'from two (target ≥ 500,000 from one)',
    `tracing on costs **${((1 - by('collector, tracing on').rps / single) * 100).toFixed(0)}%** ` +
      'of single-event throughput',
    `collector peak RSS: **${Math.max(rows[1]!.rssMiB, rows[2]!.rssMiB).toFixed(0)} MiB** (target ≤ 150)`,
    enrichmentLine(enrichment!),
  ];
  console.log(`\n${table}\n\n${ratios.map((r) => `- ${r}`).join('\n')}`);
  writeSection(
    'http',
    'HTTP ingestion: collector vs the ceiling and peers',
    'npm run bench -- http',
    `Each server runs as its own process. autocannon runs in another (\`-c 100\`, 2 s warm-up, then ` +
      `${seconds} s measured), POSTing a
${SINGLE.length}-byte JSON event (or a ${BATCH.length}-byte array of 100). CPU is the server process's ` +
      `user+system time ÷ wall time,
so 1.00 is one full core; CPU µs per event is that ÷ events/s, the figure that moves least between runs. *Stolen* is
the CPU the hypervisor took from this VM during the row (/proc/stat steal), which is what makes repeated runs of the
same server differ by up to a third. Peak RSS is VmHWM. The collector and the peers answer only after the ` +
      `JetStream PubAck of
every event; the stream is purged between runs. The enrichment pair is one collector (\`TRUSTED_PROXIES=1\`, the
bench's catalog beside the shipped one) taking the same batch as a type without enrichment and as one with
\`enrich: { user_agent: true, bots: flag, geo: true, ip: hash }\`, each request from one of ${CLIENT_HEADERS.length} ` +
      `public addresses
(X-Forwarded-For) with one of a few browsers' user agents; the two alternate in ${ENRICH_ROUNDS} rounds of ` +
      `${seconds / 2} s each (after a
2 s warm-up each), and their CPU µs per event is the collector's CPU over each one's segments ÷ the events sent. ` +
      `Peers "js" are what a TypeScript team would write: the same valibot
schemas, then \`await js.publish()\` (nats.js) per event with its id as Nats-Msg-Id. Peers "core" put the ` +
      `collector's own
core and coalescing publisher behind node:http or fastify, so they differ from the collector only in the ` +
      `HTTP layer.
The collector runs as \`npm run collector\` does (its esbuild bundle); the other servers run under tsx, ` +
      `whose loader adds
~25 MiB to their RSS and nothing to their throughput once loaded. Absolute numbers drift on this shared 2-core ` +
      `machine, so compare
the ratios, which all come from one run.

${table}

${ratios.map((r) => `- ${r}`).join('\n')}`,
  );
  return rows;
}
