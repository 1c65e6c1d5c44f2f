// A fetch cut short: nats-server stalls (SIGSTOP) while the sink's fetch holds messages it already
// received and waits for more. nats.js ends that fetch with "heartbeats missed"; the sink must insert
// what arrived at once — not drop it and leave it to be redelivered after the ack wait (30 s here).
import * as assert from 'uvu/assert';
import { countReaches, pipelineSuite, postJson, waitUntilAcked } from './support/mod.ts';

// A long fetch wait, so the fetch holding the events is still waiting when NATS stops. The suite thaws NATS at the end.
const test = pipelineSuite('stalled fetch', {
  engine: 'server',
  env: { SINK_BATCH_WAIT_MS: '3000', SINK_ACK_WAIT_SECONDS: '30' },
});

test('events of a fetch cut short by a stalled NATS land while it is still stalled', async ({ services, p }) => {
  const N = 20;
  for (let i = 0; i < N; i++) {
    const res = await postJson(`${p.url}/v1/events`, {
      event_id: `stall-${i}`,
      dt: '2024-03-04T05:06:07Z',
      event: 'stall',
      user_id: `u${i}`,
    });
    assert.is(res.status, 202, res.text);
  }
  // Stored (202 after the PubAck), so the waiting fetch has them within milliseconds.
  await new Promise((r) => setTimeout(r, 50));
  services.nats.freeze();
  try {
    // Heartbeats are missed within ~4.5 s (two 1.5 s intervals after the last message); then the insert.
    const landed = await countReaches(
      p.sink,
      "SELECT count() AS n FROM edge_events.events WHERE event = 'stall'",
      N,
      7_000,
    );
    assert.is(landed, N, 'inserted while nats-server is stopped');
  } finally {
    services.nats.thaw();
  }
  await waitUntilAcked(services.nats.url, 20_000);
  assert.is(
    await countReaches(p.sink, "SELECT count() AS n FROM edge_events.events FINAL WHERE event = 'stall'", N),
    N,
  );
});

test.run();
