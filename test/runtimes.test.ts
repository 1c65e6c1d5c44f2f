// The same collector core under Deno 2 and Bun (both installed from npm): events sent over HTTP land
// in JetStream exactly as under Node, and each runtime exits 0 on SIGTERM.
import * as assert from 'uvu/assert';
import { freePort, post, postJson, servicesSuite, spawnService, storedEvents } from './support/mod.ts';

const test = servicesSuite('other runtimes', { streams: true });

for (const role of ['collector:deno', 'collector:bun'] as const) {
  test(`${role}: events land in JetStream; SIGTERM exits 0`, async ({ services }) => {
    const env = { NATS_URL: services.nats.url, HOST: '127.0.0.1', PORT: String(await freePort()) };
    const proc = await spawnService(role, env, services.dir);
    const url = `http://127.0.0.1:${env.PORT}`;
    const tag = role.replace('collector:', '');
    const one = await postJson(`${url}/v1/events`, {
      event_id: `${tag}-1`,
      dt: '2024-01-01T00:00:00Z',
      event: tag,
      user_id: 'u',
    });
    assert.is(one.status, 202, one.text);
    const ndjson = [2, 3]
      .map((i) =>
        JSON.stringify({
          event_id: `${tag}-${i}`,
          event: 'PageVisit',
          timestamp: '2024-01-01 00:00:00',
          user_id: i,
          page_id: i,
        }),
      )
      .join('\n');
    assert.is((await post(`${url}/v1/events`, ndjson, { 'content-type': 'application/x-ndjson' })).status, 202);
    const form = new FormData();
    form.append('dt', '2025-03-01T11:11:11Z');
    form.append('event', tag);
    form.append('userid', '1');
    form.append('event_id', `${tag}-4`);
    assert.is((await post(`${url}/events/`, form)).status, 200);
    assert.is((await postJson(`${url}/v1/events`, { event: tag })).status, 400);
    assert.is((await fetch(`${url}/openapi.json`)).status, 200);

    const ids = (await storedEvents(services.nats.url)).map((e) => e.event_id);
    assert.ok(
      [1, 2, 3, 4].every((i) => ids.includes(`${tag}-${i}`)),
      ids.join(),
    );
    assert.is(await proc.terminate(), 0);
  });
}

test.run();
