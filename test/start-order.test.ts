// Start order does not matter: a collector and a sink started before ClickHouse and NATS exist (a rollout,
// or `kubectl apply` of everything at once) wait for them instead of crashing. Until then both are live but
// not ready, and the collector refuses events with 503 + Retry-After; once both are up, events flow and land.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../shared/config/mod.ts';
import {
  applyStreams,
  freePort,
  postJson,
  spawnService,
  startClickHouseServer,
  startNatsServer,
  waitFor,
  waitReady,
  type ClickHouseServer,
  type NatsServer,
  type ServiceProcess,
} from './support/mod.ts';

test('collector and sink started before ClickHouse and NATS: 503 until they are up, then events land', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-order-'));
  const [natsPort, clickhousePort] = [await freePort(), await freePort()];
  const env = {
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    CLICKHOUSE_URL: `http://127.0.0.1:${clickhousePort}`,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    SINK_PORT: String(await freePort()),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'info',
  };
  const url = `http://127.0.0.1:${env.PORT}`;
  const procs: ServiceProcess[] = [];
  let nats: NatsServer | undefined;
  let clickhouse: ClickHouseServer | undefined;
  try {
    const collector = await spawnService('collector', env, dir, { readyPath: '/healthz' });
    procs.push(collector);
    const sink = await spawnService('sink', env, dir, { readyPath: '/healthz' });
    procs.push(sink);
    assert.is(
      (await fetch(`http://127.0.0.1:${env.SINK_PORT}/readyz`)).status,
      503,
      'the sink is live, not ready, while it waits',
    );

    assert.is((await fetch(`${url}/readyz`)).status, 503, 'not ready without NATS');
    const refused = await postJson(`${url}/v1/events`, {
      event_id: 'early',
      dt: '2024-03-04T05:06:07Z',
      event: 'order',
      user_id: 'u1',
    });
    assert.is(refused.status, 503, refused.text);
    assert.ok(refused.headers.get('retry-after'), 'with Retry-After');
    assert.equal(refused.json, { error: 'event storage is unavailable, retry later', reason: 'disconnected' });
    await waitFor(
      'the waiting lines in the logs',
      async () =>
        collector.log().includes('NATS unreachable; waiting for it') &&
        sink.log().includes('ClickHouse unreachable; waiting for it')
          ? true
          : undefined,
      10_000,
    );

    clickhouse = await startClickHouseServer({ dir: join(dir, 'clickhouse'), port: clickhousePort });
    // The sink applies the schema, then waits for NATS in turn.
    await waitFor(
      'the sink waiting for NATS',
      async () => (sink.log().includes('NATS unreachable; waiting for it') ? true : undefined),
      20_000,
    );
    assert.is((await fetch(`http://127.0.0.1:${env.SINK_PORT}/readyz`)).status, 503, 'still not ready without NATS');
    assert.match(collector.log(), `127.0.0.1:${natsPort}`);
    assert.is(collector.log().includes('"level":60'), false, 'nothing fatal');

    nats = await startNatsServer({ dir: join(dir, 'nats'), port: natsPort });
    await applyStreams(loadConfig(env));
    await waitReady(collector, `${url}/readyz`);
    await waitReady(sink, `http://127.0.0.1:${env.SINK_PORT}/readyz`);
    for (const id of ['early', 'late']) {
      const res = await postJson(`${url}/v1/events`, {
        event_id: id,
        dt: '2024-03-04T05:06:07Z',
        event: 'order',
        user_id: 'u1',
      });
      assert.is(res.status, 202, res.text);
    }
    const query = encodeURIComponent(
      "SELECT arrayStringConcat(groupArray(event_id), ',') " +
        "FROM (SELECT event_id FROM edge_events.events FINAL WHERE event = 'order' ORDER BY event_id)",
    );
    const landed = await waitFor(
      'both events in ClickHouse',
      async () => {
        const text = (await (await fetch(`${clickhouse!.url}/?query=${query}`)).text()).trim();
        return text === 'early,late' ? text : undefined;
      },
      30_000,
    );
    assert.is(landed, 'early,late');
    for (const p of procs) assert.is(await p.terminate(), 0, `${p.role} stops cleanly`);
  } finally {
    for (const p of procs) await p.kill().catch(() => {});
    await nats?.stop();
    await clickhouse?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
