// The fault suite, small: under load, kill -9 the sink, the collector, nats-server and
// clickhouse-server in turn; every 2xx event is in ClickHouse exactly once, no 4xx event is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FAULTS, reportTable, runFaultScenario, type FaultReport } from './support/mod.ts';

const reports: FaultReport[] = [];

for (const fault of FAULTS) {
  test(`kill -9 ${fault} under load: nothing lost, nothing duplicated, nothing refused stored`, async () => {
    const r = await runFaultScenario(fault, { events: 6000, batch: 20, concurrency: 4 });
    reports.push(r);
    assert.ok(r.killedAt > 0, 'the fault was injected during the load');
    if (fault === 'sink') assert.ok(r.midInsert, 'the sink was killed while its INSERT ran');
    assert.is(r.unanswered, 0, 'clients got an answer for every event, retrying through the outage');
    assert.is(r.accepted + r.rejected, r.events);
    assert.is(r.rejected, Math.ceil(r.events / 97), 'exactly the invalid events were refused');
    assert.is(r.lost, 0, 'lost');
    assert.is(r.duplicated, 0, 'duplicated in query results');
    assert.is(r.leaked, 0, 'refused but stored');
    assert.is(r.deadLettered, 0, 'nothing valid was dead-lettered');
  });
}

test.after(() => console.log(`\n${reportTable(reports)}\n`));
test.run();
