// `npm run bench -- floor`: what one event costs the collector's own code on one core, in-process, stage by
// stage — the floor under the HTTP figures. The body is the http bench's 100-event batch; no HTTP, no socket.
import { createCollector, newEventId, respond } from '../collector/core/mod.ts';
import { validateEvent } from '../shared/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { defaultCatalog } from '../test/support/mod.ts';
import { messageIdOf, packLines } from '../streams/mod.ts';
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
  console.log(`\n${table}\n\n${note}`);
  writeSection(
    'floor',
    "The floor: what an event costs the collector's own code",
    'npm run bench -- floor',
    `In the benchmark's own process, one thread, no HTTP and no socket: each stage of the collector's work timed on the
http bench's 100-event batch (${BATCH.length} bytes) for 1.5 s after a warm-up, then the whole core ` +
      `(\`createCollector\`) handling
that body again and again with a publisher that packs each message and resolves at once. Microseconds per event.

${table}

${note}`,
  );
}
