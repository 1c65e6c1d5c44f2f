// SIGTERM on the collector and the sink, as Kubernetes sends it, in the middle of a load: each
// stops taking work, finishes what it holds (answers, inserts, acks), exits 0 — and nothing is lost.
import * as assert from 'uvu/assert';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import {
  applyStreams,
  checkLanding,
  processEnv,
  runLoad,
  servicesSuite,
  spawnService,
  waitFor,
  waitUntilAcked,
} from './support/mod.ts';

const test = servicesSuite('SIGTERM', { engine: 'server' });

test('collector and sink drain on SIGTERM and exit 0; every accepted event lands once', async ({ services }) => {
  // A long ack wait: a sink that left messages unacked would show up as a stuck consumer.
  const env = await processEnv(services, { SINK_ACK_WAIT_SECONDS: '60' });
  await applyStreams(services.config(env));
  const sink = await spawnService('sink', env, services.dir);
  const collector = await spawnService('collector', env, services.dir);
  const codes: (number | string)[] = [];
  const load = runLoad(
    { url: `http://127.0.0.1:${env.PORT}`, tag: 'sigterm', total: 6000, batch: 20, concurrency: 4 },
    (r) => {
      const done = r.accepted.size;
      if (done >= 1500 && codes.length === 0) {
        codes.push('pending');
        void (async () => {
          codes[0] = await collector.terminate();
          await collector.start();
          codes.push(await sink.terminate());
          await sink.start();
        })();
      }
    },
  );
  const result = await load;
  await waitFor(
    'both restarts',
    async () => (codes.length === 2 && typeof codes[0] === 'number' ? true : undefined),
    30_000,
  );
  assert.equal(codes, [0, 0], 'both exited 0 on SIGTERM');

  await waitUntilAcked(services.nats.url);
  const cfg = services.config(env);
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  const landing = await checkLanding(ch.client, ch.database, 'sigterm', result);
  await ch.close();
  assert.is(result.unanswered.size, 0);
  assert.is(result.accepted.size, 6000);
  assert.equal(landing.lost, []);
  assert.equal(landing.duplicated, []);
  await collector.terminate();
  await sink.terminate();
});

test.run();
