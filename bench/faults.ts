// `npm run bench -- faults`: the fault suite at scale — 200,000 events per fault (EVENTS to change),
// kill -9 of sink, collector, nats-server and clickhouse-server in turn — table into bench/RESULTS.md.
import { FAULTS, reportTable, runFaultScenario, type FaultReport } from '../test/support/mod.ts';
import { progress, writeSection } from './results.ts';

export async function faults(opts: { events?: number } = {}): Promise<void> {
  const events = opts.events ?? 200_000;
  const reports: FaultReport[] = [];
  for (const fault of FAULTS) {
    const r = await runFaultScenario(fault, { events, batch: 50, concurrency: 8 }, (done) =>
      progress(`kill -9 ${fault}`, done, events),
    );
    progress(`kill -9 ${fault}`, events, events);
    reports.push(r);
  }
  const table = reportTable(reports);
  console.log(`\n${table}\n`);
  writeSection(
    'faults',
    'Fault suite: kill -9 under load',
    `npm run bench -- faults`,
    `For each row, a fresh nats-server and clickhouse-server (18.16) are started, and then the collector and the
sink as their own processes (\`npm run collector\`, \`npm run sink\`). A client load posts ` +
      `${events.toLocaleString('en')} events in
batches of 50 from 8 concurrent clients. The events carry their own event_id; every 97th is invalid. Clients retry ` +
      `on 503 and on
dropped connections with the same ids. When 30% of the events have been answered, the named process is killed
with SIGKILL and started again after 1 s on the same ports and data. For the sink, the kill waits until
ClickHouse is running the sink's INSERT. After the load, the check waits until the sink has acked everything and
then compares, event by event, what the clients were told with what \`SELECT … FINAL\` returns.

${table}

- **lost**: answered 2xx but not in ClickHouse. **duplicated**: more than one row in query results.
- **extra physical rows**: re-inserted rows (redeliveries after the kill) that \`FINAL\` and merges collapse;
  they show the at-least-once path at work.
- **refused yet stored**: answered 4xx but present. **dead-lettered**: valid events sent to the DLQ (none expected).`,
  );
  const bad = reports.filter((r) => r.lost || r.duplicated || r.leaked || r.unanswered);
  if (bad.length) {
    console.error(`FAILED: ${bad.map((r) => r.fault).join(', ')}`);
    process.exitCode = 1;
  }
}
