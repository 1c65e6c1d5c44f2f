// Overload with a hung JetStream (nats-server frozen with SIGSTOP): the collector keeps answering —
// 503 + Retry-After within its publish timeout, never hanging — and its memory stays bounded.
import * as assert from 'uvu/assert';
import { applyStreams, freePort, postJson, servicesSuite, spawnService, waitFor } from './support/mod.ts';

// The suite thaws NATS at the end, whatever a test left frozen.
const test = servicesSuite('overload');

const PUBLISH_TIMEOUT_MS = 1500;

test('a flood while NATS hangs: bounded in-flight, prompt 503s, bounded memory, recovery', async ({ services }) => {
  const env = {
    NATS_URL: services.nats.url,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    MAX_INFLIGHT_EVENTS: '2000',
    PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
  };
  await applyStreams(services.config(env));
  const collector = await spawnService('collector', env, services.dir);
  const url = `http://127.0.0.1:${env.PORT}/v1/events`;
  const batch = JSON.stringify(
    Array.from({ length: 200 }, (_, i) => ({
      dt: '2024-01-01T00:00:00Z',
      event: 'flood',
      user_id: `u${i}`,
      elem: 'x'.repeat(64),
    })),
  );
  const baseline = collector.peakRssMiB();

  services.nats.freeze();
  const statuses = new Map<number, number>();
  let slowest = 0;
  let sentEvents = 0;
  const until = Date.now() + 8000;
  await Promise.all(
    Array.from({ length: 48 }, async () => {
      while (Date.now() < until) {
        const started = Date.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch });
        await res.arrayBuffer();
        slowest = Math.max(slowest, Date.now() - started);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503) assert.is(res.headers.get('retry-after'), '1');
        sentEvents += 200;
      }
    }),
  );
  const peak = collector.peakRssMiB();
  console.log(
    `sent ${sentEvents} events: ${JSON.stringify(Object.fromEntries(statuses))}; slowest ${slowest} ms; ` +
      `RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MiB`,
  );
  assert.equal([...statuses.keys()], [503], 'nothing is accepted while JetStream hangs');
  assert.ok(statuses.get(503)! > 100, 'the flood was answered, not queued');
  assert.ok(slowest < PUBLISH_TIMEOUT_MS + 1000, `no request waited past the publish timeout (slowest ${slowest} ms)`);
  // npm run collector caps the heap (package.json); the process around it stays under this.
  assert.ok(peak < 200, `peak RSS ${peak.toFixed(0)} MiB`);

  services.nats.thaw();
  await waitFor(
    '202 again',
    async () =>
      (await postJson(url, { dt: '2024-01-01T00:00:00Z', event: 'after', user_id: 'u' })).status === 202
        ? true
        : undefined,
    20_000,
  );
  await collector.terminate();
});

test.run();
