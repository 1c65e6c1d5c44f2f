// `npm run bench -- publish`: what the pipelined publisher bought — JetStream publishes awaited on their
// PubAck, in windows of 100 and 1,000, through streams/publisher.ts and through nats.js's js.publish().
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../shared/config/mod.ts';
import { startNatsServer } from '../local/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { defaultCatalog } from '../test/support/mod.ts';
import { applyConfiguredTopology, connectNats, createPublisher } from '../streams/mod.ts';
import { progress, writeSection } from './results.ts';

export async function publish(opts: { events?: number } = {}): Promise<void> {
  const n = opts.events ?? 50_000;
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-pub-'));
  const nats = await startNatsServer({ dir });
  const nc = await connect({ servers: nats.url });
  await applyConfiguredTopology(nc, loadConfig({ NATS_URL: nats.url }), defaultCatalog());
  const link = await connectNats(nats.url, 'bench publish', createLogger('bench', 'silent'));
  const pipelined = createPublisher(link, { timeoutMs: 10_000, maxEventsPerMessage: 1 });
  const coalesced = createPublisher(link, { timeoutMs: 10_000, maxEventsPerMessage: 500 });
  const js = jetstream(nc, { timeout: 10_000 });
  const line = JSON.stringify({
    dt: '2024-06-01 12:00:00',
    event: 'page_view',
    user_id: 'user-000042',
    screen: 'catalog',
    elem: 'card',
    amount: 1,
    received_at: '2024-06-01 12:00:00.000',
  });
  const data = new TextEncoder().encode(line);
  const ways = {
    'streams/publisher.ts, coalesced (≤ 500 events/message)': (id: string) =>
      coalesced.publish([{ subject: 'events.generic', line, id }]).then(([err]) => {
        if (err) throw err;
      }),
    'streams/publisher.ts, one message per event': (id: string) =>
      pipelined.publish([{ subject: 'events.generic', line, id }]).then(([err]) => {
        if (err) throw err;
      }),
    'js.publish() (nats.js)': (id: string) => js.publish('events.generic', data, { msgID: id }).then(() => {}),
  };
  const rows: string[] = [];
  let step = 0;
  try {
    for (const window of [100, 1000]) {
      for (const [w, [name, send]] of Object.entries(ways).entries()) {
        progress('publish', step++, 6);
        const t0 = performance.now();
        for (let i = 0; i < n; i += window)
          await Promise.all(Array.from({ length: window }, (_, k) => send(`${w}-${window}-${i + k}`)));
        rows.push(`| ${name} | ${window} | ${Math.round(n / ((performance.now() - t0) / 1000))} |`);
      }
    }
    progress('publish', 6, 6);
  } finally {
    await link.nc.close();
    await nc.close();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const table = ['| publisher | awaited in windows of | events/s |', '|---|---:|---:|', ...rows].join('\n');
  console.log(`\n${table}`);
  writeSection(
    'publish',
    'JetStream publish: coalesced and pipelined vs js.publish()',
    'npm run bench -- publish',
    `One nats-server (JetStream, file store, stream EVENTS as deployed), one client process, ` +
      `${n.toLocaleString('en')} events per row
of ~170 bytes, each with its own id, awaited on its PubAck in windows of the given size. The pipelined publisher
(a core publish with a reply subject under one inbox, acks matched by one subscription, one sweeping timer)
replaced js.publish() in the collector; coalescing (events of a subject published in one event-loop turn share a
message, NDJSON) is its default. With one message per event, each event's id is its Nats-Msg-Id.

${table}`,
  );
}
