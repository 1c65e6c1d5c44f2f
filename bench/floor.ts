// `npm run bench -- floor`: what one event costs the collector's own code on one core, in-process, stage by
// stage — the floor under the HTTP figures — and what the enrichment steps add to it (#23). The body is the http
// bench's 100-event batch; no HTTP, no socket.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import { createCollector, newEventId, respond, type Collector } from '../collector/core/mod.ts';
import { validateEvent } from '../shared/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { defaultCatalog } from '../test/support/mod.ts';
import { messageIdOf, packLines } from '../streams/mod.ts';
import { ADDRESSES, batchOf, CLIENT_HEADERS, ENRICH_TYPES, USER_AGENTS, writeEnrichmentCatalog } from './enrichment.ts';
import { BATCH } from './http.ts';
import { progress, writeSection } from './results.ts';

const EVENTS = 100;

/** Microseconds per event of `work` (one call handles the 100 events), after a warm-up. */
function perEvent(work: () => unknown, ms = 1500): number {
  for (const end = performance.now() + 300; performance.now() < end;) work();
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 20; i++) work();
    calls += 20;
  }
  return ((performance.now() - t0) * 1000) / calls / EVENTS;
}

export async function floor(): Promise<void> {
  const body = new TextEncoder().encode(BATCH);
  const events = JSON.parse(BATCH) as Record<string, unknown>[];
  const catalog = defaultCatalog();
  const type = catalog.of(events[0]!)!;
  const rows = events.map((e) => (validateEvent(type, e) as { row: Record<string, unknown> }).row);
  const lines = rows.map((r) => JSON.stringify(r));
  const ids = events.map(() => newEventId());
  const outcomes = ids.map((event_id) => ({ status: 'accepted' as const, event_id, type: type.key }));
  const decoder = new TextDecoder();
  const stages: [string, () => unknown][] = [
    ['decode + JSON.parse the body', () => JSON.parse(decoder.decode(body))],
    ['validate (valibot, catalog schema)', () => events.map((e) => validateEvent(type, e))],
    ['row to JSON (JSON.stringify)', () => rows.map((r) => JSON.stringify(r))],
    ['assign UUIDv7 ids', () => events.map(() => newEventId())],
    ['pack the message (join, encode, id digest)', () => [packLines(lines), messageIdOf(ids)]],
    [
      'per-event results as JSON (the response)',
      () => respond(outcomes, true, { one: () => ({ status: 0, headers: {}, body: '' }) }),
    ],
  ];
  // The whole core on the same body, with a publisher that packs each message and acks it at once.
  const cfg = loadConfig({});
  const core = createCollector({
    ...cfg.collector,
    catalog: () => catalog,
    publisher: {
      publish: async (evts) => (
        packLines(evts.map((e) => e.line)),
        messageIdOf(evts.map((e) => e.id)),
        evts.map(() => undefined)
      ),
      ready: async () => true,
    },
  });
  const request = {
    method: 'POST',
    path: '/v1/events',
    header: (n: string) => (n === 'content-type' ? 'application/json' : undefined),
    body,
  };
  const rowsOut: string[] = [];
  let sum = 0;
  for (const [i, [name, work]] of stages.entries()) {
    progress('floor', i, stages.length + 1);
    const us = perEvent(work);
    sum += us;
    rowsOut.push(`| ${name} | ${us.toFixed(2)} |`);
  }
  progress('floor', stages.length, stages.length + 1);
  // Sequential requests: each awaits its (immediate) ack before the next, so this is CPU per event.
  let whole = 0;
  {
    for (let i = 0; i < 200; i++) await core(request);
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) (await core(request), calls++);
    whole = ((performance.now() - t0) * 1000) / calls / EVENTS;
  }
  progress('floor', stages.length + 1, stages.length + 1);
  const enrichment = await enrichmentRows();
  const table = [
    '| stage, per event | µs |',
    '|---|---:|',
    ...rowsOut,
    `| **sum of the stages** | **${sum.toFixed(2)}** |`,
    '| **the whole collector core** (routing, limits, stamping, metrics off, a publisher that only packs) | ' +
      `**${whole.toFixed(2)}** |`,
  ].join('\n');
  const note =
    `One core could run the core alone at **${Math.round(1e6 / whole).toLocaleString('en')} events/s**, ` +
    `the stages alone at ${Math.round(1e6 / sum).toLocaleString('en')}; 500,000 events/s is 2 µs per event.`;
  console.log(`\n${table}\n\n${note}\n\n${enrichment}`);
  writeSection(
    'floor',
    "The floor: what an event costs the collector's own code",
    'npm run bench -- floor',
    `In the benchmark's own process, one thread, no HTTP and no socket: each stage of the collector's work timed on the
http bench's 100-event batch (${BATCH.length} bytes) for 1.5 s after a warm-up, then the whole core ` +
      `(\`createCollector\`) handling
that body again and again with a publisher that packs each message and resolves at once. Microseconds per event.

${table}

${note}

**Enrichment (#23).** The whole core again on 100-event batches of that shape, of the types bench/enrichment.ts
writes, with \`TRUSTED_PROXIES=1\`: each request comes from one of ${ADDRESSES.length} public addresses ` +
      `(X-Forwarded-For) with one of
${USER_AGENTS.length} browsers' user agents, as in the http bench's pair. The types alternate in ${ROUNDS} ` +
      `rounds of ${ROUND_MS / 1000} s; each row
is the median of its rounds, in CPU time (user + system) rather than wall time, so that the time other processes take
the core for does not count. The geo lookup is the bench's own over the shipped database, cached by address as the
collector's is (collector/geo-database.ts is not reachable through the collector's door); warm, both answer from a
Map. The cold row gives every request a user agent not seen before (a parse per request, for its 100 events).

${enrichment}`,
  );
}

const ROUNDS = 7;
const ROUND_MS = 500;

/** The enrichment table: µs per event of the whole core on 100-event batches of each of the bench's types. */
async function enrichmentRows(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-floor-'));
  try {
    const catalog = loadCatalogFiles(`catalog,${writeEnrichmentCatalog(dir)}`);
    const lines = new Map<string, string>();
    const core = createCollector({
      ...loadConfig({ TRUSTED_PROXIES: '1' }).collector,
      catalog: () => catalog,
      publisher: {
        publish: async (evts) => (
          lines.set(evts[0]!.subject, evts[0]!.line),
          packLines(evts.map((e) => e.line)),
          messageIdOf(evts.map((e) => e.id)),
          evts.map(() => undefined)
        ),
        ready: async () => true,
      },
      lookups: { geo: geoLookup(), ipKey: crypto.getRandomValues(new Uint8Array(32)) },
    });
    let fresh = 0;
    const cases: [string, Request[]][] = ENRICH_TYPES.map(([type, what]) => [
      `${type}: ${what}`,
      CLIENT_HEADERS.map((headers) => requestOf(batchOf(type), (n) => headers[n])),
    ]);
    // A user agent not seen before on every request: Chrome's, with a build number of its own.
    const cold = requestOf(batchOf('BenchEnriched'), (n) =>
      n === 'user-agent' ? USER_AGENTS[0].replace('126.0.0.0', `126.0.${fresh++}.0`) : CLIENT_HEADERS[0]![n],
    );
    cases.push(['BenchEnriched, user agent cache cold (a new user agent per request)', [cold]]);
    for (const [name, requests] of cases) {
      const status = (await core(requests[0]!)).status;
      if (status !== 202) throw new Error(`${name}: the core answered ${status}`);
    }
    // The enrichment ran: a country and a daily hash in the last row of the fully enriched type.
    const enriched = lines.get('events.bench_enriched') ?? '';
    if (!/"country":"[A-Z]{2}"/.test(enriched) || !/"ip":"[0-9a-f]{32}"/.test(enriched)) {
      throw new Error(`no country or address hash in the enriched row: ${enriched}`);
    }
    const rounds = cases.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, requests]] of cases.entries()) rounds[i]!.push(await corePerEvent(core, requests, ROUND_MS));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const us = rounds.map(median);
    return [
      '| the whole core on 100-event batches of | CPU µs per event | added by the enrichment | rounds (µs) |',
      '|---|---:|---:|---|',
      ...cases.map(
        ([name], i) =>
          `| ${name} | ${us[i]!.toFixed(2)} | ${i ? `+${(us[i]! - us[0]!).toFixed(2)}` : ''} | ` +
          `${rounds[i]!.map((x) => x.toFixed(2)).join(', ')} |`,
      ),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Request = Parameters<Collector>[0];

const requestOf = (body: string, header: (name: string) => string | undefined): Request => {
  const bytes = new TextEncoder().encode(body);
  return {
    method: 'POST',
    path: '/v1/events',
    ip: '127.0.0.1',
    header: (n) => (n === 'content-type' ? 'application/json' : header(n)),
    body: bytes,
  };
};

/** CPU µs per event (the process's user + system time, so another process taking the core costs nothing) of the
 *  core handling `requests` in turn, one at a time, for `ms` after a short warm-up. */
async function corePerEvent(core: Collector, requests: Request[], ms: number): Promise<number> {
  for (let i = 0; i < 20; i++) await core(requests[i % requests.length]!);
  let calls = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - t0 < ms) await core(requests[calls++ % requests.length]!);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / calls / EVENTS;
}

/** A country lookup over the shipped database, cached by address as the collector's is (collector/core/enrich/
 *  geo.ts: a Map of the places found, frozen, shared). */
function geoLookup(): (ip: string) => Readonly<{ country: string; region: string; city: string }> | undefined {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  const reader = new Reader<Response>(readFileSync(file));
  const cache = new Map<string, Readonly<{ country: string; region: string; city: string }> | null>();
  return (ip) => {
    const known = cache.get(ip);
    if (known !== undefined) return known ?? undefined;
    const country = (reader.get(ip) as { country_code?: string } | null)?.country_code;
    const place = country ? Object.freeze({ country, region: '', city: '' }) : null;
    cache.set(ip, place);
    return place ?? undefined;
  };
}
