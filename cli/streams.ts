// `npm run streams:apply`: creates or updates the streams and consumers on the configured NATS
// (NATS_URL) and prints what changed. Exits non-zero when the server refuses a change.
import { connect } from '@nats-io/transport-node';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { applyConfiguredTopology, describeChange } from '../streams/mod.ts';

const cfg = loadConfigOrExit();
const url = cfg.nats.url ?? 'nats://127.0.0.1:4222';
const nc = await connect({ servers: url.split(','), name: 'edge-events streams:apply' });
try {
  const changes = await applyConfiguredTopology(nc, cfg, loadCatalogFiles(cfg.catalog.paths));
  for (const c of changes) console.log(describeChange(c));
} finally {
  await nc.close();
}
