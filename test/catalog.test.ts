// A team's own catalog (EVENT_CATALOG) on both engines, through the real pipeline: its events land in their own
// tables with every field kind; invalid ones get 400 naming each field; each row records the catalog version that
// validated it. Then the catalog evolves: a breaking change is refused and no table changes; a new optional field
// is migrated into ClickHouse and published, and the running collector takes it without a restart.
import * as assert from 'uvu/assert';
import { startSink, type RunningSink } from '../sink/mod.ts';
import { countReaches, pipelineSuite, postJson, rows, waitFor, type Engine } from './support/mod.ts';

const CATALOGS = 'test/support/catalogs';
const env = (file: string) => ({ EVENT_CATALOG: `${CATALOGS}/${file}` });

const signup = (id: string, extra: Record<string, unknown> = {}) => ({
  event: 'SignupCompleted',
  event_id: id,
  signed_up_at: '2024-06-01T12:00:00Z',
  user_id: `u-${id}`,
  plan: 'pro',
  seats: 3,
  ...extra,
});

/** The columns of the catalog's tables, as ClickHouse has them. */
const columns = async (sink: RunningSink) =>
  rows(
    sink,
    "SELECT table, name, type FROM system.columns WHERE database = 'edge_events' " +
      "AND table IN ('signup_completed', 'device_report') ORDER BY table, name",
  );

function catalogSuite(engine: Engine) {
  const test = pipelineSuite(`own catalog (${engine})`, { engine, env: env('signup-v1.yaml') });

  test('its events land in their own tables, every field kind, with the catalog version', async ({ p }) => {
    assert.is(p.sink.catalog().version, 1, 'the sink published the files as version 1');
    const res = await postJson(`${p.url}/v1/events`, [
      signup('s1', { coupon: 'WELCOME' }),
      {
        event: 'device_report',
        event_id: 'd1',
        at: '2024-06-01T14:00:00+02:00',
        device: '46A5143B-9FBE-4483-A9BE-30EBCCF7132C',
        day: '2024-06-01',
        online: true,
        battery: 0.5,
        readings: [7, 8],
        tags: ['a', 'c'],
        meta: { fw: '1.2' },
        firmware: 'kept',
      },
    ]);
    assert.is(res.status, 202, res.text);
    assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.signup_completed', 1), 1);
    const [s] = await rows(
      p.sink,
      'SELECT user_id, plan, seats, coupon, signed_up_at, catalog_version FROM edge_events.signup_completed',
    );
    assert.equal(
      { ...s, seats: Number(s!.seats), catalog_version: Number(s!.catalog_version) },
      {
        user_id: 'u-s1',
        plan: 'pro',
        seats: 3,
        coupon: 'WELCOME',
        signed_up_at: '2024-06-01 12:00:00',
        catalog_version: 1,
      },
    );
    assert.is(await countReaches(p.sink, 'SELECT count() AS n FROM edge_events.device_report', 1), 1);
    const [d] = await rows(
      p.sink,
      'SELECT toString(device_id) AS device_id, toString(day) AS day, online, battery, readings, tags, meta, extra, ' +
        'owner, at FROM edge_events.device_report',
    );
    assert.equal(
      { ...d, online: Number(d!.online), readings: (d!.readings as string[]).map(Number) },
      {
        device_id: '46a5143b-9fbe-4483-a9be-30ebccf7132c',
        day: '2024-06-01',
        online: 1,
        battery: 0.5,
        readings: [7, 8],
        tags: ['a', 'c'],
        meta: '{"fw":"1.2"}',
        extra: '{"firmware":"kept"}',
        owner: null,
        at: '2024-06-01 12:00:00',
      },
    );
  });

  test('invalid events get 400 naming each field, undeclared fields included', async ({ p }) => {
    const res = await postJson(`${p.url}/v1/events/SignupCompleted`, {
      signed_up_at: 'soon',
      plan: 'gold',
      seats: 0,
      refferer: 'x',
    });
    assert.is(res.status, 400);
    assert.equal(res.json.issues.map((i: { path: string }) => i.path).sort(), [
      'plan',
      'refferer',
      'seats',
      'signed_up_at',
      'user_id',
    ]);
    assert.match(res.json.issues.find((i: { path: string }) => i.path === 'refferer').message, /has no field refferer/);
    const unknown = await postJson(`${p.url}/v1/events`, {
      event: 'PageVisit',
      timestamp: '2024-01-01 00:00:00',
      user_id: 1,
    });
    assert.is(unknown.status, 400, 'a catalog without a fallback type refuses event names it does not know');
    assert.match(unknown.json.issues[0].message, /names no event type in the catalog/);
  });

  test('evolution: a breaking change is refused, no table changes; a new optional field goes live', async (ctx) => {
    const { p, services } = ctx;
    const before = await columns(p.sink);
    // Sent before the rollout, the new field is refused: nothing is dropped silently.
    const early = await postJson(`${p.url}/v1/events`, signup('early', { referrer: 'ads' }));
    assert.is(early.status, 400);
    await p.sink.stop();
    const refused = await startSink(services.config(env('signup-breaking.yaml'))).then(
      async (s) => (await s.stop(), undefined),
      (err: Error) => err,
    );
    assert.is(refused?.name, 'CatalogRefused', String(refused));
    assert.match(refused!.message, /SignupCompleted\.seats: type Int32 → String — instead, declare a new field/);

    p.sink = await startSink(services.config(env('signup-v2.yaml')));
    assert.is(p.sink.catalog().version, 2);
    const after = await columns(p.sink);
    assert.equal(
      after
        .filter((c) => !before.some((b) => b.table === c.table && b.name === c.name))
        .map((c) => `${c.table}.${c.name} ${c.type}`),
      ['signup_completed.referrer String'],
      'the breaking attempt changed nothing; v2 added exactly its column',
    );
    // The collector (never restarted) follows the published version.
    await waitFor(
      'the collector to take version 2',
      async () =>
        (await postJson(`${p.url}/v1/events`, signup('late', { referrer: 'ads' }))).status === 202 ? true : undefined,
      10_000,
    );
    assert.is(
      await countReaches(p.sink, "SELECT count() AS n FROM edge_events.signup_completed WHERE event_id = 'late'", 1),
      1,
    );
    const [late] = await rows(
      p.sink,
      "SELECT referrer, catalog_version FROM edge_events.signup_completed WHERE event_id = 'late'",
    );
    assert.equal({ ...late, catalog_version: Number(late!.catalog_version) }, { referrer: 'ads', catalog_version: 2 });
    // A sink of the previous rollout (v1 files) follows version 2 and publishes nothing: no flapping back.
    await p.sink.stop();
    p.sink = await startSink(services.config(env('signup-v1.yaml')));
    assert.is(p.sink.catalog().version, 2);
    assert.ok('referrer' in p.sink.catalog().find('SignupCompleted')!.fields);
  });

  return test;
}

catalogSuite('server').run();
catalogSuite('embedded').run();
