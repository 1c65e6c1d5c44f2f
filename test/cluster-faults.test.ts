// Both clusters at once (3 NATS nodes with R3 streams; ClickHouse as 2 shards × 2 replicas with ZooKeeper): under
// a steady load, kill -9 in turn: the node leading stream EVENTS, the node leading the sink's consumer, the
// ClickHouse replica taking shard 2's inserts (mid-insert), and ZooKeeper, each back after 5 s. The collector answers
// 503 while NATS elects a leader (never a 2xx without a PubAck, never a hang); the sink retries inserts the cluster
// refuses (a dead replica, replicas read-only without ZooKeeper); afterwards every event that got a 2xx is in
// ClickHouse exactly once (FINAL through the Distributed table), event by event, and the replicas of each shard
// hold the same rows. Run alone by npm test (it loads the machine).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLUSTER_FAULTS, reportTable, runFaultScenario, type FaultReport } from './support/mod.ts';

const faults = suite('clusters: kill -9 a node under load');
const reports: FaultReport[] = [];
for (const fault of CLUSTER_FAULTS) {
  faults(`${fault}: nothing lost, nothing duplicated, replicas alike`, async () => {
    const r = await runFaultScenario(fault, { events: 4000, batch: 20, concurrency: 4 });
    reports.push(r);
    assert.ok(r.killedAt > 0 && r.node, 'a node was killed during the load');
    assert.is(r.timeouts, 0, 'no request went unanswered for 10 s: the collector never hangs');
    assert.is(r.unanswered, 0, 'clients got an answer for every event, retrying through the election');
    assert.is(r.accepted + r.rejected, r.events);
    assert.is(r.lost, 0, 'lost');
    assert.is(r.duplicated, 0, 'duplicated in query results');
    assert.is(r.leaked, 0, 'refused but stored');
    assert.is(r.deadLettered, 0, 'nothing valid was dead-lettered');
    assert.is(r.replicasApart, 0, 'the replicas of every shard hold the same rows');
    if (fault === 'zookeeper') assert.ok(r.retries > 0, 'inserts were refused while ZooKeeper was away, then retried');
  });
}
faults.after(() => console.log(`\n${reportTable(reports)}\n`));
faults.run();
