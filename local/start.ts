// `npm start`: the whole pipeline in one process with embedded defaults — a local nats-server child (unless
// NATS_URL), the streams applied, the sink on embedded ClickHouse (unless CLICKHOUSE_URL), the archiver, the
// collector and the reading process (sharing the sink's ClickHouse), and on request demo data (DEMO_DATA) and a load
// (LOADGEN_RPS). Each part connects to NATS as its role's user (local/nats-users.ts: passwords made on each start).
// Ctrl-C stops accepting, finishes in-flight work, acks, and stops the children.
import { connect } from '@nats-io/transport-node';
import { join, resolve } from 'node:path';
import { startCollector } from '../collector/mod.ts';
import { exitIfRefused, onStopSignal, redactUrl } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { createLogger, loadCatalogFiles, startTracing } from '../shared/node/mod.ts';
import { demoSize, describeLoad, sendDemo, startLoadgen } from '../demo/mod.ts';
import { startReader } from '../reader/mod.ts';
import { startSink } from '../sink/mod.ts';
import { startArchiver } from '../archive/mod.ts';
import { applyConfiguredTopology, describeChange, natsOptions, type NatsRole } from '../streams/mod.ts';
import { startNatsServer, type NatsServer } from './nats-server.ts';
import { writeLocalNatsUsers, type LocalNatsUsers } from './nats-users.ts';

// On a laptop every port listens on loopback unless HOST says otherwise (a deployment's default is 0.0.0.0).
const cfg = loadConfigOrExit('all', { defaults: { HOST: '127.0.0.1' } });
// The catalog files are read first: a mistake in them stops here, naming the file, line, type and field.
const files = await Promise.resolve(cfg.catalog.paths).then(loadCatalogFiles).catch(exitIfRefused);
const log = createLogger('edge-events', cfg.logLevel);
const tracing = await startTracing('edge-events', cfg.telemetry, cfg.sink.batchSize);

let nats: NatsServer | undefined;
let users: LocalNatsUsers | undefined;
if (!cfg.nats.url) {
  const dir = resolve(join(cfg.dataDir, 'nats'));
  users = writeLocalNatsUsers(cfg.dataDir, dir);
  const config = users.config;
  nats = await startNatsServer({ dir, port: 4222, detached: true, config }).catch(() =>
    startNatsServer({ dir, detached: true, config }),
  );
  cfg.nats.url = nats.url;
}
/** The configuration of a part: on the local nats-server, as its role's user; on NATS_URL, as NATS_USER. */
const as = (role: NatsRole) =>
  users ? { ...cfg, nats: { ...cfg.nats, user: role, password: users.passwordOf(role) } } : cfg;

const admin = await connect(natsOptions(as('jobs').nats, 'edge-events start'));
for (const change of await applyConfiguredTopology(admin, cfg, files)) {
  log.info(describeChange(change));
}
await admin.close();

const sink = await startSink(as('sink'), createLogger('sink', cfg.logLevel)).catch(exitIfRefused);
// The cold tier: every event also as Parquet files in ARCHIVE_URL (default DATA_DIR/archive).
const archiver = await startArchiver(as('archiver'), createLogger('archiver', cfg.logLevel));
const collector = await startCollector(as('collector'), createLogger('collector', cfg.logLevel));
// The reader shares the sink's ClickHouse connection: the embedded engine allows one per data folder.
const reader = await startReader(as('reader'), {
  clickhouse: sink.clickhouse,
  catalog: sink.catalog,
  log: createLogger('reader', cfg.logLevel),
});
const base = `http://localhost:${collector.port}`;
const ch = sink.clickhouse;
const readerAt = `http://${cfg.reader.host === '127.0.0.1' ? 'localhost' : cfg.reader.host}:${reader.port}`;
const clickhouseAt =
  ch.engine === 'embedded' ? `embedded (chdb ${ch.version}) in ${ch.location}` : `${ch.location} (${ch.version})`;

console.log(`
edge-events is running
  collector   ${base}   POST /v1/events[/{type}], /events, /v1/producer/views, /v1/track…/v1/batch
                                  GET /openapi.json, /metrics, /healthz, /readyz
  console     ${readerAt}/console/   live pipeline, events, dead letters, reports, catalog, API docs
  reader      ${readerAt}   GET /v1/events?type=&from=&to=&user_id=&event=&limit=&cursor=, /v1/reports/…
  nats        ${redactUrl(cfg.nats.url)}${nats ? `   (local nats-server, store in ${nats.dir}; a user per role)` : ''}
  clickhouse  ${clickhouseAt}, database ${ch.database}
  archive     ${archiver.where}   Parquet per type and hour (npm run archive -- list)
  catalog     version ${sink.catalog().version}, ${sink.catalog().types.length} event types from ${cfg.catalog.paths}

send an event:
  curl -X POST "${base}/events/" -F dt=2025-03-01T11:11:11Z -F event=test -F userid=1
see what landed:
  curl "http://localhost:${reader.port}/v1/events?limit=10"
  npm run query -- "SELECT * FROM ${ch.database}.events FINAL"

Ctrl-C stops.
`);

// DEMO_DATA=true on an empty database: six months of demo data through the collector, in the background.
const [empty] = await sink.clickhouse.client
  .query({ query: `SELECT count() = 0 AS empty FROM ${ch.database}.events`, format: 'JSONEachRow' })
  .then((rs) => rs.json<{ empty: number }>());
if (cfg.demo && Number(empty?.empty) === 1) {
  const demo = { days: 180, users: 300 };
  log.info({ events: demoSize(demo) }, 'sending demo data');
  void sendDemo(base, demo, undefined, cfg.collector.sources[0]?.key).then(
    (r) => log.info(r, 'demo data sent'),
    (err: Error) => log.error({ err: err.message }, 'demo data failed'),
  );
}

// LOADGEN_RPS > 0: the catalog's events at that rate through the collector, a line every 10 s.
const load =
  cfg.loadgen.rps > 0
    ? startLoadgen({
        url: base,
        rps: cfg.loadgen.rps,
        batch: 1,
        catalog: sink.catalog(),
        writeKey: cfg.collector.sources[0]?.key,
      })
    : undefined;
const loadLine = load && setInterval(() => log.info(describeLoad(load.stats(), cfg.loadgen.rps)), 10_000);

onStopSignal(async () => {
  if (loadLine) clearInterval(loadLine);
  await load?.stop();
  log.info('stopping: draining the collector, finishing the batch in hand');
  await collector.stop();
  await reader.stop();
  await sink.stop();
  await archiver.stop();
  await tracing.shutdown();
  await nats?.stop();
});
