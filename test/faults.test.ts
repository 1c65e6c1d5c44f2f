// Faults with real processes: ClickHouse killed while events keep arriving (collector keeps
// answering 202, the sink acks nothing, everything lands once it is back), and NATS stopped
// (the collector answers 503 with Retry-After at once, and recovers when NATS returns).
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import * as assert from 'uvu/assert';
import { countReaches, pipelineSuite, postJson, rows, waitFor, type Services } from './support/mod.ts';
import { EVENTS_STREAM, SINK_CONSUMER } from '../streams/mod.ts';

const test = pipelineSuite('faults', { engine: 'server' });

const event = (i: number, tag: string) => ({
  event_id: `${tag}-${i}`,
  dt: '2024-03-04T05:06:07Z',
  event: tag,
  user_id: `u${i}`,
});

async function consumerState(services: Services) {
  const nc = await connect({ servers: services.nats.url });
  const info = await (await jetstreamManager(nc)).consumers.info(EVENTS_STREAM, SINK_CONSUMER);
  await nc.close();
  return { ackFloor: info.ack_floor.stream_seq, pending: info.num_pending + info.num_ack_pending };
}

test('ClickHouse down: 202s continue, nothing is acked, all events land once it is back', async ({ services, p }) => {
  // A first event proves the path works, and fixes the ack floor before the outage.
  assert.is((await postJson(`${p.url}/v1/events`, event(0, 'outage'))).status, 202);
  assert.is(await countReaches(p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'outage'", 1), 1);
  await waitFor('first ack', async () => ((await consumerState(services)).pending === 0 ? true : undefined));
  const before = await consumerState(services);
  const ackedBefore = p.sink.stats.acked;

  await services.clickhouse!.kill();
  const N = 60;
  for (let i = 1; i <= N; i++) {
    const res = await postJson(`${p.url}/v1/events`, event(i, 'outage'));
    assert.is(res.status, 202, `event ${i} while ClickHouse is down: ${res.text}`);
  }
  // Give the sink time to fetch, fail and hold the batch for retry.
  await waitFor('a failed insert', async () => (p.sink.stats.retries > 0 ? true : undefined));
  const during = await consumerState(services);
  assert.is(during.ackFloor, before.ackFloor, 'nothing acked while ClickHouse is down');
  assert.is(p.sink.stats.acked, ackedBefore);
  assert.is(during.pending, N, 'every event still waits in the stream');

  await services.clickhouse!.restart();
  assert.is(
    await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.events FINAL WHERE event = 'outage'",
      N + 1,
      30_000,
    ),
    N + 1,
  );
  const ids = await rows<{ event_id: string }>(
    p.sink,
    "SELECT event_id FROM edge_events.events FINAL WHERE event = 'outage'",
  );
  assert.equal(new Set(ids.map((r) => r.event_id)), new Set(Array.from({ length: N + 1 }, (_, i) => `outage-${i}`)));
  await waitFor('all acked', async () => ((await consumerState(services)).pending === 0 ? true : undefined));
});

test('NATS down: 503 with Retry-After promptly, never hanging; back to 202 when it returns', async ({
  services,
  p,
}) => {
  await services.nats.stop();
  await waitFor('collector to notice', async () =>
    (await fetch(`${p.url}/readyz`)).status === 503 ? true : undefined,
  );
  for (let i = 0; i < 5; i++) {
    const started = Date.now();
    const res = await postJson(`${p.url}/v1/events`, event(i, 'nats-down'));
    const ms = Date.now() - started;
    assert.is(res.status, 503);
    assert.is(res.headers.get('retry-after'), '1');
    assert.ok(ms < 500, `answered in ${ms} ms`);
  }
  await services.nats.restart();
  await waitFor(
    'collector to reconnect',
    async () => ((await fetch(`${p.url}/readyz`)).status === 200 ? true : undefined),
    20_000,
  );
  const res = await postJson(`${p.url}/v1/events`, event(99, 'nats-back'));
  assert.is(res.status, 202);
  assert.is(
    await countReaches(p.sink, "SELECT count() AS n FROM edge_events.events WHERE event = 'nats-back'", 1, 30_000),
    1,
  );
  const [lost] = await rows<{ n: string }>(
    p.sink,
    "SELECT count() AS n FROM edge_events.events WHERE event = 'nats-down'",
  );
  assert.is(Number(lost!.n), 0, 'no 503-answered event was stored');
});

test.run();
