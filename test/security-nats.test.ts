// NATS with a user per role (issue #22, section 2), against a real nats-server on 127.0.0.1 running the permission set
// as `npm start` writes it (streams/permissions.ts through local/nats-users.ts) and a clickhouse-server. The jobs apply
// the streams, a sink, an archiver and a collector run with their own users and an event lands everywhere; the reader
// lists, tails and redrives — and no legitimate call is refused. Then each role is tried as an attacker holding its
// password would: every forbidden call is refused, and nothing changed (streams, consumers, the catalog).
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, headers, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startArchiver, type RunningArchiver } from '../archive/mod.ts';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import { writeLocalNatsUsers, type LocalNatsUsers } from '../local/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { startSink, type RunningSink } from '../sink/mod.ts';
import {
  applyConfiguredTopology,
  ARCHIVER_CONSUMER,
  DLQ_STREAM,
  EVENTS_STREAM,
  natsOptions,
  openCatalogRegistry,
  readLetters,
  requestRedrive,
  RELAYED_STREAM,
  SINK_CONSUMER,
  type NatsRole,
} from '../streams/mod.ts';
import {
  countReaches,
  defaultCatalog,
  postJson,
  startClickHouseServer,
  startNatsServer,
  waitFor,
  type ClickHouseServer,
  type NatsServer,
} from './support/mod.ts';

interface Ctx {
  dir: string;
  nats: NatsServer;
  clickhouse: ClickHouseServer;
  users: LocalNatsUsers;
  sink: RunningSink;
  archiver: RunningArchiver;
  collector: RunningCollector;
  /** The reader's connection: it may look at everything the console shows, so the tests look through it. */
  look: NatsConnection;
}
const test = suite<Ctx>('NATS users per role');

const cfgOf = (ctx: Ctx, role: NatsRole) =>
  loadConfig({
    NATS_URL: ctx.nats.url,
    NATS_USER: role,
    NATS_PASSWORD: ctx.users.passwordOf(role),
    CLICKHOUSE_URL: ctx.clickhouse.url,
    DATA_DIR: join(ctx.dir, 'data'),
    HOST: '127.0.0.1',
    PORT: '0',
    SINK_PORT: '0',
    ARCHIVE_PORT: '0',
    ARCHIVE_URL: join(ctx.dir, 'archive'),
    ARCHIVE_FLUSH_SECONDS: '1',
    RELAYS: '[{"name":"crm","kind":"nats"}]',
    SINK_RETRY_BASE_MS: '200',
    SINK_RETRY_MAX_MS: '1000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  });
const as = (ctx: Ctx, role: NatsRole) => connect(natsOptions(cfgOf(ctx, role).nats, `attacker as ${role}`));
const natsLog = (ctx: Ctx) => readFileSync(join(ctx.nats.dir, 'nats-server.log'), 'utf8');

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-nats-users-'));
  ctx.users = writeLocalNatsUsers(join(ctx.dir, 'data'), join(ctx.dir, 'nats'));
  ctx.nats = await startNatsServer({ dir: join(ctx.dir, 'nats'), config: ctx.users.config });
  ctx.clickhouse = await startClickHouseServer({ dir: join(ctx.dir, 'clickhouse') });
  const jobs = await as(ctx, 'jobs');
  await applyConfiguredTopology(jobs, cfgOf(ctx, 'jobs'), defaultCatalog());
  await jobs.close();
  ctx.sink = await startSink(cfgOf(ctx, 'sink'));
  ctx.archiver = await startArchiver(cfgOf(ctx, 'archiver'));
  ctx.collector = await startCollector(cfgOf(ctx, 'collector'));
  ctx.look = await as(ctx, 'reader');
});
test.after(async (ctx) => {
  await ctx.collector?.stop();
  await ctx.archiver?.stop();
  await ctx.sink?.stop();
  await ctx.look?.close();
  await ctx.clickhouse?.stop();
  await ctx.nats?.stop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** What an attack must leave as it was: the streams, the consumers' progress, the catalog's revision. */
async function state(ctx: Ctx) {
  const jsm = await jetstreamManager(ctx.look);
  const streams: Record<string, number> = {};
  for await (const s of jsm.streams.list()) streams[s.config.name] = s.state.messages;
  const consumers: Record<string, [number, number]> = {};
  for await (const c of jsm.consumers.list(EVENTS_STREAM))
    if (c.config.durable_name) consumers[c.name] = [c.delivered.stream_seq, c.num_redelivered];
  const catalog = await (await openCatalogRegistry(ctx.look, { create: false })).latest();
  return { streams, consumers, catalog: catalog.revision };
}

/** Refused by the server: nats.js rejects the request with the permission violation the server sent. */
async function refused(what: string, attempt: () => Promise<unknown>) {
  const err = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err, `${what}: was allowed`);
  const chain = [err, (err as Error).cause];
  assert.ok(
    chain.some((e) => e instanceof PermissionViolationError),
    `${what}: ${(err as Error).message}`,
  );
}

/** A subscription the server refuses is closed with the violation. */
async function refusedSubscription(nc: NatsConnection, subject: string) {
  const closed = await Promise.race([
    nc.subscribe(subject).closed,
    new Promise((r) => setTimeout(() => r('open'), 2000)),
  ]);
  assert.instance(closed, PermissionViolationError, `subscribe ${subject}`);
}

const event = (id: string) => ({ event_id: id, dt: '2024-03-04T05:06:07Z', event: 'order', user_id: 'u1' });
const landed = (ctx: Ctx, id: string) =>
  countReaches(ctx.sink, `SELECT count() AS n FROM edge_events.events FINAL WHERE event_id = '${id}'`, 1);

test('each role works as its own user: an event lands, archived, relayed; the reader tails, redrives', async (ctx) => {
  const logFrom = natsLog(ctx).length;
  const jsm = await jetstreamManager(ctx.look);
  // The console's live tail: an ordered consumer on EVENTS from new messages on.
  const tail = await jetstream(ctx.look).consumers.get(EVENTS_STREAM, {
    filter_subjects: 'events.>',
    deliver_policy: 'new' as never,
  });
  const tailed = await tail.consume({ max_messages: 16 });
  const seen = (async () => {
    for await (const m of tailed) return m;
  })();
  const collector = `http://127.0.0.1:${ctx.collector.port}`;
  assert.is((await fetch(`${collector}/readyz`)).status, 200, 'the collector finds stream EVENTS');
  const res = await postJson(`${collector}/v1/events`, event('as-collector'));
  assert.is(res.status, 202, res.text);
  const first = await seen;
  assert.match(new TextDecoder().decode(first!.data), 'as-collector', 'the reader tails it');
  await tailed.close();
  assert.is(await landed(ctx, 'as-collector'), 1, 'the sink inserted it');
  await waitFor('the relay to republish it', async () =>
    (await jsm.streams.info(RELAYED_STREAM)).state.messages >= 1 ? true : undefined,
  );
  await waitFor('the archiver to write its file and ack', async () => {
    const c = await jsm.consumers.info(EVENTS_STREAM, ARCHIVER_CONSUMER);
    return ctx.archiver.stats.files >= 1 && c.num_ack_pending + c.num_pending === 0 ? true : undefined;
  });

  // A dead letter (the sink's user writes them), listed by the reader and redriven at its request by the sink: it
  // lands.
  const sink = await as(ctx, 'sink');
  const h = headers();
  h.set('Edge-Dlq-Subject', first!.subject);
  h.set('Edge-Dlq-Reason', 'test');
  await jetstream(sink).publish('dlq.events', JSON.stringify({ ...JSON.parse(first!.string()), event_id: 'dead' }), {
    headers: h,
  });
  await sink.close();
  const letters = [];
  for await (const l of readLetters(ctx.look)) letters.push(l);
  assert.equal(
    letters.map((l) => l.reason),
    ['test'],
  );
  assert.is(await requestRedrive(ctx.look, { seqs: [letters[0]!.seq] }), 1);
  assert.is(await landed(ctx, 'dead'), 1, 'the redriven letter landed');
  assert.is((await jsm.streams.info(DLQ_STREAM)).state.messages, 0, 'and left the DLQ');
  // Settled before the next test takes its snapshot: every durable has acked both events, the relay republished both.
  await waitFor('every consumer to ack the redriven event', async () => {
    for await (const c of jsm.consumers.list(EVENTS_STREAM))
      if (c.config.durable_name && c.num_ack_pending + c.num_pending > 0) return undefined;
    return (await jsm.streams.info(RELAYED_STREAM)).state.messages >= 2 ? true : undefined;
  });

  // The console's overview: every stream and durable consumer.
  const streams = [];
  for await (const s of jsm.streams.list()) streams.push(s.config.name);
  assert.equal(streams.sort(), [DLQ_STREAM, EVENTS_STREAM, 'KV_catalog', 'KV_privacy', RELAYED_STREAM]);
  const consumers = [];
  for await (const c of jsm.consumers.list(EVENTS_STREAM)) if (c.config.durable_name) consumers.push(c.name);
  assert.equal(consumers.sort(), [ARCHIVER_CONSUMER, 'relay_crm', SINK_CONSUMER]);

  const violations = natsLog(ctx)
    .slice(logFrom)
    .split('\n')
    .filter((l) => /violation/i.test(l));
  assert.equal(violations, [], 'no legitimate call was refused');
});

test('no user, a wrong password, or another role’s password: the connection is refused', async (ctx) => {
  const url = ctx.nats.url;
  for (const options of [
    { servers: url },
    { servers: url, user: 'collector', pass: 'wrong-password' },
    { servers: url, user: 'jobs', pass: ctx.users.passwordOf('collector') },
  ]) {
    const err = await connect(options).then(
      async (nc) => (await nc.close(), undefined),
      (e: Error) => e,
    );
    assert.match(err?.message ?? 'connected', /Authorization Violation/, JSON.stringify(options.user));
  }
});

test('the collector reads the catalog; it may not delete a stream, consume, write the catalog, snoop', async (ctx) => {
  const nc = await as(ctx, 'collector');
  try {
    const before = await state(ctx);
    const registry = await openCatalogRegistry(nc, { create: false });
    assert.is((await registry.latest()).published?.version, 1, 'it reads the catalog the sink published');
    const kv = await new Kvm(nc).open('catalog');
    const watch = await kv.watch({ key: 'current' });
    for await (const e of watch) {
      assert.is(e.key, 'current', 'and may watch it');
      break;
    }
    const jsm: JetStreamManager = await jetstreamManager(nc);
    await refused('delete stream EVENTS', () => jsm.streams.delete(EVENTS_STREAM));
    await refused('purge stream EVENTS', () => jsm.streams.purge(EVENTS_STREAM));
    await refused('delete the sink consumer', () => jsm.consumers.delete(EVENTS_STREAM, SINK_CONSUMER));
    await refused('open the sink consumer', () => jetstream(nc).consumers.get(EVENTS_STREAM, SINK_CONSUMER));
    await refused('fetch from the sink consumer', () =>
      nc.request(`$JS.API.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.${SINK_CONSUMER}`, '{"batch":10}', { timeout: 2000 }),
    );
    await refused('an ordered consumer on EVENTS', () => jetstream(nc).consumers.get(EVENTS_STREAM));
    await refused('write the catalog', () => kv.put('current', '{"version":99,"types":[]}'));
    await refused('create a bucket', () => new Kvm(nc).create('catalog2'));
    // It reads the privacy register (whose events to refuse) and may not write it: a forged request would erase.
    const privacy = await new Kvm(nc).open('privacy');
    await privacy.keys();
    await refused('ask for an erasure', () => privacy.put('erasure.forged', '{}'));
    await refused('forge a dead letter', () => jetstream(nc).publish('dlq.events', '{}'));
    await refused('publish to a relay', () => jetstream(nc).publish('relay.crm.events.events', '{}'));
    for (const subject of ['events.>', '_INBOX.>', '_INBOX_sink.>', '_INBOX_reader.>', '$KV.catalog.>'])
      await refusedSubscription(nc, subject);
    assert.equal(await state(ctx), before, 'nothing changed');
  } finally {
    await nc.close();
  }
});

test('the reader may not publish events, forge or delete letters, write the catalog, pull durables', async (ctx) => {
  const nc = await as(ctx, 'reader');
  try {
    const before = await state(ctx);
    const jsm = await jetstreamManager(nc);
    await refused('publish an event', () => jetstream(nc).publish('events.events', '{}'));
    await refused('delete a dead letter', () => jsm.streams.deleteMessage(DLQ_STREAM, 1));
    await refused('forge a dead letter', () => jetstream(nc).publish('dlq.events', '{}'));
    await refused('publish to a relay', () => jetstream(nc).publish('relay.crm.events.events', '{}'));
    await refused('write the catalog', async () => (await new Kvm(nc).open('catalog')).put('current', '{}'));
    await refused('delete stream DLQ', () => jsm.streams.delete(DLQ_STREAM));
    await refused('purge stream EVENTS', () => jsm.streams.purge(EVENTS_STREAM));
    await refused('delete a stored event', () => jsm.streams.deleteMessage(EVENTS_STREAM, 1));
    await refused('delete the archiver consumer', () => jsm.consumers.delete(EVENTS_STREAM, ARCHIVER_CONSUMER));
    for (const durable of [SINK_CONSUMER, ARCHIVER_CONSUMER]) {
      await refused(`pull the ${durable} consumer`, () =>
        nc.request(`$JS.API.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.${durable}`, '{"batch":10}', { timeout: 2000 }),
      );
      await refused(`redefine the ${durable} consumer`, () =>
        jsm.consumers.update(EVENTS_STREAM, durable, { max_ack_pending: 1, filter_subject: 'events.>' }),
      );
    }
    await refusedSubscription(nc, '_INBOX_collector.>');
    assert.equal(await state(ctx), before, 'nothing changed');
  } finally {
    await nc.close();
  }
});

test('the sink, the archiver and the jobs: none pulls another’s consumer, none deletes', async (ctx) => {
  const before = await state(ctx);
  for (const [role, other] of [
    ['sink', ARCHIVER_CONSUMER],
    ['archiver', SINK_CONSUMER],
  ] as const) {
    const nc = await as(ctx, role);
    try {
      await refused(`${role}: pull ${other}`, () =>
        nc.request(`$JS.API.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.${other}`, '{"batch":10}', { timeout: 2000 }),
      );
      await refused(`${role}: delete stream EVENTS`, async () =>
        (await jetstreamManager(nc)).streams.delete(EVENTS_STREAM),
      );
      // The sink may: it redrives dead letters (the reader asks it to).
      if (role === 'archiver')
        await refused(`${role}: publish an event`, () => jetstream(nc).publish('events.events', '{}'));
    } finally {
      await nc.close();
    }
  }
  const archiver = await as(ctx, 'archiver');
  await refused('archiver: write the catalog', async () =>
    (await new Kvm(archiver).open('catalog')).put('current', '{}'),
  );
  await archiver.close();
  const jobs = await as(ctx, 'jobs');
  const jsm = await jetstreamManager(jobs);
  await refused('jobs: delete stream EVENTS', () => jsm.streams.delete(EVENTS_STREAM));
  await refused('jobs: purge stream DLQ', () => jsm.streams.purge(DLQ_STREAM));
  await refused('jobs: delete the sink consumer', () => jsm.consumers.delete(EVENTS_STREAM, SINK_CONSUMER));
  await jobs.close();
  assert.equal(await state(ctx), before, 'nothing changed');
});

test.run();
