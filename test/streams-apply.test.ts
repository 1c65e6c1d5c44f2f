// Topology apply against a real nats-server: creates, then finds nothing to do, then updates only
// what changed — and the sink consumer's max_ack_pending covers its batches.
import { jetstreamManager } from '@nats-io/jetstream';
import * as assert from 'uvu/assert';
import {
  applyConfiguredTopology,
  ARCHIVER_CONSUMER,
  describeChange,
  DLQ_STREAM,
  EVENTS_STREAM,
  RELAYED_STREAM,
  relayConsumer,
  SINK_CONSUMER,
} from '../streams/mod.ts';
import { defaultCatalog, natsSuite } from './support/mod.ts';

const test = natsSuite('streams apply');

test('create, then unchanged, then update of the changed fields only', async ({ services, nc }) => {
  const jsm = await jetstreamManager(nc);
  const cfg = services.config();
  const first = await applyConfiguredTopology(nc, cfg, defaultCatalog());
  assert.equal(first.map(describeChange), [
    `stream ${EVENTS_STREAM}: created`,
    `stream ${RELAYED_STREAM}: created`,
    `stream ${DLQ_STREAM}: created`,
    `consumer ${EVENTS_STREAM}/${ARCHIVER_CONSUMER}: created`,
    `consumer ${EVENTS_STREAM}/${SINK_CONSUMER}: created`,
  ]);
  const again = await applyConfiguredTopology(nc, cfg, defaultCatalog());
  assert.ok(
    again.every((c) => c.action === 'unchanged'),
    again.map(describeChange).join('; '),
  );

  const bigger = services.config({ STREAM_MAX_AGE_SECONDS: '3600', SINK_BATCH_SIZE: '8000' });
  const changed = await applyConfiguredTopology(nc, bigger, defaultCatalog());
  assert.equal(changed.map(describeChange), [
    `stream ${EVENTS_STREAM}: updated (max_age)`,
    `stream ${RELAYED_STREAM}: updated (max_age)`,
    `stream ${DLQ_STREAM}: unchanged`,
    `consumer ${EVENTS_STREAM}/${ARCHIVER_CONSUMER}: unchanged`,
    `consumer ${EVENTS_STREAM}/${SINK_CONSUMER}: updated (max_ack_pending, max_batch)`,
  ]);
  const info = await jsm.consumers.info(EVENTS_STREAM, SINK_CONSUMER);
  assert.ok(info.config.max_ack_pending! >= 2 * 8000, 'room for two batches in flight');
  const stream = await jsm.streams.info(EVENTS_STREAM);
  assert.is(stream.config.discard, 'new', 'a full stream refuses, never drops');
});

test('each relay gets its own durable consumer; one type is filtered on the server', async ({ services, nc }) => {
  const jsm = await jetstreamManager(nc);
  const cfg = services.config({
    RELAYS:
      '[{"name":"one","kind":"nats","types":["PageVisit"]},' +
      '{"name":"many","kind":"nats","types":["PageVisit","CartAdd"]}]',
  });
  const changes = await applyConfiguredTopology(nc, cfg, defaultCatalog());
  assert.ok(changes.some((c) => c.name === `${EVENTS_STREAM}/${relayConsumer('one')}` && c.action === 'created'));
  assert.is((await jsm.consumers.info(EVENTS_STREAM, relayConsumer('one'))).config.filter_subject, 'events.page_visit');
  assert.is((await jsm.consumers.info(EVENTS_STREAM, relayConsumer('many'))).config.filter_subject, 'events.>');
});

test.run();
