// A ClickHouse cluster (2 shards × 2 replicas of Debian's 18.16 server, with ZooKeeper) and CLICKHOUSE_CLUSTER set:
// every table the catalog needs is replicated on every node behind a Distributed table, events spread over both
// shards and land once, the replicas of a shard agree, the marts answer through their Distributed tables, and a
// catalog change with a node down returns instead of hanging, the node taking it when it is back.
import * as assert from 'uvu/assert';
import { connectClickHouse, migrate, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { askNode as ask, countReaches, pipelineSuite, postJson, rows, waitFor } from './support/mod.ts';

const test = pipelineSuite('ClickHouse cluster', { engine: 'server', clickhouseCluster: true });

test('every node has the replicated tables, the Distributed tables over them, and the views', async ({ services }) => {
  for (const node of services.clickhouseCluster!.nodes) {
    const engines = new Map(
      (await ask(node.url, "SELECT name, engine FROM system.tables WHERE database = 'edge_events'"))
        .split('\n')
        .map((line) => line.split('\t') as [string, string]),
    );
    assert.is(engines.get('events_local'), 'ReplicatedReplacingMergeTree', node.url);
    assert.is(engines.get('events'), 'Distributed');
    assert.is(engines.get('events_daily_local'), 'ReplicatedAggregatingMergeTree');
    assert.is(engines.get('events_daily'), 'Distributed');
    assert.is(engines.get('events_daily_mv'), 'MaterializedView');
    assert.is(engines.get('latest_view_local'), 'ReplicatedReplacingMergeTree');
  }
});

test('events spread over both shards, land once, and both replicas of a shard hold them', async ({ services, p }) => {
  const batch = Array.from({ length: 200 }, (_, i) => ({
    event_id: `cluster-${i}`,
    dt: `2024-06-0${1 + (i % 3)}T10:00:00Z`,
    event: 'cluster_spread',
    user_id: `u${i % 40}`,
  }));
  assert.is((await postJson(`${p.url}/v1/events`, batch)).status, 202);
  // Sent again (a client retry): the same ids go to the same shards and collapse there.
  assert.is((await postJson(`${p.url}/v1/events`, batch.slice(0, 50))).status, 202);
  const where = "WHERE event = 'cluster_spread'";
  await countReaches(p.sink, `SELECT count() AS n FROM edge_events.events ${where}`, 250);
  const [final] = await rows<{ n: string; ids: string }>(
    p.sink,
    `SELECT count() AS n, uniqExact(event_id) AS ids FROM edge_events.events FINAL ${where}`,
  );
  assert.equal([Number(final!.n), Number(final!.ids)], [200, 200], 'FINAL through Distributed: each event once');

  const cluster = services.clickhouseCluster!;
  const perNode = new Map<string, number>();
  for (const [i, name] of cluster.names.entries()) {
    const url = cluster.nodes[i]!.url;
    await ask(url, 'SYSTEM SYNC REPLICA edge_events.events_local');
    perNode.set(name, Number(await ask(url, `SELECT count() FROM edge_events.events_local FINAL ${where}`)));
  }
  assert.is(perNode.get('s1r1'), perNode.get('s1r2'), 'shard 1: replicas agree');
  assert.is(perNode.get('s2r1'), perNode.get('s2r2'), 'shard 2: replicas agree');
  assert.ok(perNode.get('s1r1')! > 40 && perNode.get('s2r1')! > 40, `spread over both shards: ${[...perNode]}`);
  assert.is(perNode.get('s1r1')! + perNode.get('s2r1')!, 200);

  // The daily mart, kept by each shard's view, merges across shards through its Distributed table.
  const daily = await rows<{ day: string; events: string; users: string }>(
    p.sink,
    `SELECT day, uniqMerge(events) AS events, uniqMerge(users) AS users FROM edge_events.events_daily
     WHERE day BETWEEN '2024-06-01' AND '2024-06-03' GROUP BY day ORDER BY day`,
  );
  const days = ['2024-06-01', '2024-06-02', '2024-06-03'];
  assert.equal(
    daily.map((d) => [d.day, Number(d.events), Number(d.users)]),
    days.map((day) => {
      const of = batch.filter((e) => e.dt.startsWith(day));
      return [day, of.length, new Set(of.map((e) => e.user_id)).size];
    }),
  );
});

test('a catalog change with a replica down returns within seconds; the replica takes it when back', async (ctx) => {
  const cluster = ctx.services.clickhouseCluster!;
  const cfg = ctx.services.config({ CLICKHOUSE_DATABASE: 'teams' });
  const ch: ClickHouse = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  try {
    await migrate(ch, loadCatalogFiles('test/support/catalogs/signup-v1.yaml'));
    const down = cluster.node('s2r2');
    await down.kill();
    const started = Date.now();
    const change = await migrate(ch, loadCatalogFiles('test/support/catalogs/signup-v2.yaml'));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 45, `returned in ${seconds} s (each statement waits at most 10 s for the node)`);
    assert.ok(change.pending.length > 0, 'the statements the node has not run are named');
    // The live nodes have the new column: a row with it goes in through the Distributed table.
    await ch.client.insert({
      table: 'teams.signup_completed',
      values: [
        {
          event_id: 'e1',
          signed_up_at: '2024-06-01 10:00:00',
          user_id: 'u1',
          plan: 'pro',
          seats: 2,
          referrer: 'ads',
          received_at: '2024-06-01 10:00:01',
          catalog_version: 0,
        },
      ],
      format: 'JSONEachRow',
      clickhouse_settings: ch.insertSettings,
    });
    await down.restart();
    const hasColumn = (table: string) =>
      ask(
        down.url,
        `SELECT count() FROM system.columns WHERE database = 'teams' AND table = '${table}' AND name = 'referrer'`,
      );
    await waitFor(
      'the returned replica to take the change',
      async () =>
        (await hasColumn('signup_completed_local')) === '1' && (await hasColumn('signup_completed')) === '1'
          ? true
          : undefined,
      60_000,
    );
    assert.is(await ask(down.url, 'SELECT referrer FROM teams.signup_completed FINAL'), 'ads');
  } finally {
    await ch.close();
  }
});

test.run();
