// The load generator against a real collector and nats-server: it keeps the rate it was given (open loop) with
// the catalog's event mix, every event it sent is answered, every accepted one is in the stream, and it stops
// by itself when its duration is over.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCollector } from '../collector/mod.ts';
import { startLoadgen } from '../demo/mod.ts';
import { EVENTS_STREAM } from '../streams/mod.ts';
import { applyStreams, defaultCatalog, startServices, storedEvents } from './support/mod.ts';

test('200 events/s for 2 s in batches of 4: ~400 sent, all accepted and stored, every type drawn', async () => {
  const services = await startServices('none');
  const cfg = services.config();
  await applyStreams(cfg);
  const collector = await startCollector(cfg);
  try {
    const load = startLoadgen({
      url: `http://127.0.0.1:${collector.port}`,
      rps: 200,
      batch: 4,
      catalog: defaultCatalog(),
      durationSeconds: 2,
    });
    const stats = await load.done;
    assert.ok(stats.sent >= 360 && stats.sent <= 412, `sent ${stats.sent}`);
    assert.equal([stats.accepted, stats.errors, stats.skipped], [stats.sent, 0, 0]);
    assert.ok(stats.p99_ms >= stats.p50_ms && stats.p50_ms > 0);
    const stored = await storedEvents(services.nats.url);
    assert.is(stored.length, stats.accepted);
    const nc = await connect({ servers: services.nats.url });
    const info = await (await jetstreamManager(nc)).streams.info(EVENTS_STREAM, { subjects_filter: 'events.>' });
    await nc.close();
    assert.is(
      Object.keys(info.state.subjects ?? {}).length,
      defaultCatalog().types.length,
      'every type of the catalog',
    );
  } finally {
    await collector.stop();
    await services.cleanup();
  }
});

test.run();
