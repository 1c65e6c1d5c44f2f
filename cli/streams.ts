// `npm run streams:apply`: creates or updates the streams and consumers on the configured NATS
// (NATS_URL) and prints what changed. Exits non-zero when the server refuses a change.
import { connect } from '@nats-io/transport-node';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { applyConfiguredTopology, describeChange, natsAccessOf, natsOptions } from '../streams/mod.ts';

const cfg = loadConfigOrExit();
// As the jobs' NATS user: it may create and update the streams and consumers, never delete them.
const nc = await connect(natsOptions(natsAccessOf(cfg, 'jobs'), 'edge-events streams:apply'));
try {
  const changes = await applyConfiguredTopology(nc, cfg, loadCatalogFiles(cfg.catalog.paths));
  for (const c of changes) console.log(describeChange(c));
} finally {
  await nc.close();
}
