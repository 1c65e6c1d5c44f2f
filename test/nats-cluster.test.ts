// A 3-node NATS JetStream cluster (the nats-server version the manifests deploy): with STREAM_REPLICAS=3 the streams,
// the consumers and the catalog bucket are R3. Killing its leaders under load: test/cluster-faults.test.ts.
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DLQ_STREAM, EVENTS_STREAM, RELAYED_STREAM, SINK_CONSUMER } from '../streams/mod.ts';
import { applyStreams, startServices, type Services } from './support/mod.ts';

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
    const manifest = readFileSync('deploy/k8s/base/nats/statefulset.yaml', 'utf8');
    const deployed = /image: nats:(\d+\.\d+\.\d+)/.exec(manifest)?.[1];
    assert.is(cluster.version.replace(/^nats-server: v/, ''), deployed, 'the version the manifests deploy');
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
