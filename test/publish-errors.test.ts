// What a real nats-server answers a JetStream publish — stored, a full stream, no stream for the subject, a message
// over max_payload, a closed connection — and how the one retry logic decides each for the NATS relay.
import { jetstream, jetstreamManager, DiscardPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decidePublish } from '../sink/mod.ts';
import { startServices } from './support/mod.ts';

test('publish (NATS relay): what a real nats-server answers, decided', async () => {
  const services = await startServices('none');
  const nc = await connect({ servers: services.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'FULL', subjects: ['full.>'], max_msgs: 1, discard: DiscardPolicy.New });
    const js = jetstream(nc, { timeout: 1000 });
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (err: unknown) => err,
      );
    assert.equal(decidePublish(await outcome(js.publish('full.a', 'x'))), { kind: 'ok' });
    const full = decidePublish(await outcome(js.publish('full.a', 'y')));
    assert.is(full.kind, 'retry', 'a full stream may drain: retry');
    assert.match((full as { reason: string }).reason, /maximum messages/);
    assert.is(
      decidePublish(await outcome(js.publish('no.stream.here', 'x'))).kind,
      'retry',
      'no responders: a leader may come back',
    );
    const tooBig = decidePublish(await outcome(js.publish('full.b', new Uint8Array(2 * 1024 * 1024))));
    assert.is(tooBig.kind, 'dead-letter', 'over max_payload: never publishable');
    await nc.close();
    assert.is(decidePublish(await outcome(js.publish('full.c', 'x'))).kind, 'retry', 'a closed connection');
  } finally {
    if (!nc.isClosed()) await nc.close();
    await services.cleanup();
  }
});

test.run();
