// A 3-node NATS JetStream cluster (the nats-server version the manifests deploy): with STREAM_REPLICAS=3 the streams,
// the consumers and the catalog bucket are R3; under a steady load, kill -9 the node leading stream EVENTS, then the
// node leading the sink's consumer: the collector answers 503 while a leader is elected (never a 2xx without a
// PubAck, never a hang), the sink resumes from the new consumer leader, and every event that got a 2xx is in
// ClickHouse exactly once. Run alone by npm test (it loads the machine).
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DLQ_STREAM, EVENTS_STREAM, RELAYED_STREAM, SINK_CONSUMER } from '../streams/mod.ts';
import {
  applyStreams,
  CLUSTER_FAULTS,
  reportTable,
  runFaultScenario,
  startServices,
  type FaultReport,
  type Services,
} from './support/mod.ts';

const topology = suite<{ services: Services }>('NATS cluster: topology');
topology.before(async (ctx) => {
  ctx.services = await startServices('none', { natsCluster: true });
});
topology.after(async (ctx) => {
  await ctx.services?.cleanup();
});

topology(
  'STREAM_REPLICAS=3: every stream, the sink consumer and the catalog bucket have three replicas',
  async (ctx) => {
    const cluster = ctx.services.natsCluster!;
    assert.match(cluster.version, /v2\.10\./, 'the version the manifests deploy');
    const cfg = ctx.services.config({ STREAM_REPLICAS: '3' });
    await applyStreams(cfg);
    const nc = await connect({ servers: cluster.servers as string[] });
    try {
      const jsm = await jetstreamManager(nc);
      for (const name of [EVENTS_STREAM, DLQ_STREAM, RELAYED_STREAM]) {
        const info = await jsm.streams.info(name);
        assert.is(info.config.num_replicas, 3, `${name} replicas`);
        assert.is(info.cluster?.replicas?.length, 2, `${name}: a leader and two followers`);
      }
      const consumer = await jsm.consumers.info(EVENTS_STREAM, SINK_CONSUMER);
      assert.is(consumer.cluster?.replicas?.length, 2, 'the sink consumer is replicated');
      const kv = await new Kvm(nc).create('catalog', { replicas: 3 });
      assert.is((await kv.status()).replicas, 3, 'the catalog bucket');
    } finally {
      await nc.close();
    }
  },
);
topology.run();

const faults = suite('NATS cluster: kill -9 a leader under load');
const reports: FaultReport[] = [];
for (const fault of CLUSTER_FAULTS) {
  faults(`${fault}: 503 during the election, then nothing lost, nothing duplicated`, async () => {
    const r = await runFaultScenario(fault, { events: 6000, batch: 20, concurrency: 4 });
    reports.push(r);
    assert.ok(r.killedAt > 0 && r.node, 'a leader was killed during the load');
    assert.is(r.timeouts, 0, 'no request went unanswered for 10 s: the collector never hangs');
    assert.is(r.unanswered, 0, 'clients got an answer for every event, retrying through the election');
    assert.is(r.accepted + r.rejected, r.events);
    assert.is(r.lost, 0, 'lost');
    assert.is(r.duplicated, 0, 'duplicated in query results');
    assert.is(r.leaked, 0, 'refused but stored');
    assert.is(r.deadLettered, 0, 'nothing valid was dead-lettered');
  });
}
faults.after(() => console.log(`\n${reportTable(reports)}\n`));
faults.run();
