// `npm run catalog -- check [FILES] | privacy [FILES] | diff OLD NEW | apply | generate [--check]`: the event catalog
// from the command line. check: compile the files (EVENT_CATALOG by default) and list their types. privacy: the record
// of processing (shared/catalog/privacy.ts): personal data per type, why, how long. diff: each change between two
// catalogs and whether it is compatible. apply: what the sink does at start — migrate ClickHouse, then publish the
// version to NATS KV for the collectors (the deploy Job runs it). generate: the checked-in artefacts (and the NATS
// users of deploy/k8s).
import { readFileSync, writeFileSync } from 'node:fs';
import { describePrivacy, exitIfRefused, type Catalog } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { columnsOf, describeCatalogChange, diffCatalogs, modernDialect } from '../shared/schema/mod.ts';
import { generatedFiles } from '../shared/docs/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { createLogger, loadCatalogFiles } from '../shared/node/mod.ts';
import { connectNats, natsAccessOf, natsAuthorization, openCatalogRegistry } from '../streams/mod.ts';
import { applyCatalog } from '../sink/mod.ts';

const USAGE = 'usage: npm run catalog -- check [FILES] | privacy [FILES] | diff OLD NEW | apply | generate [--check]';
const cfg = loadConfigOrExit();
const [command, ...args] = process.argv.slice(2);

function describe(catalog: Catalog): string {
  return catalog.types
    .map((t) => {
      const columns = columnsOf(t, modernDialect).filter(([n]) => n in t.fields);
      const role = t.role ? `, ${t.role}` : '';
      const head = `${t.name} (events.${t.key} → table ${t.table}, time ${t.timeField}${role})`;
      return [head, ...columns.map(([n, c]) => `    ${n.padEnd(24)} ${c}`)].join('\n');
    })
    .join('\n');
}

try {
  if (command === 'check') {
    const catalog = loadCatalogFiles(args[0] ?? cfg.catalog.paths);
    console.log(`${describe(catalog)}\n\n${catalog.types.length} types: the catalog is valid`);
  } else if (command === 'privacy') {
    console.log(describePrivacy(loadCatalogFiles(args[0] ?? cfg.catalog.paths)));
  } else if (command === 'diff' && args.length === 2) {
    const changes = diffCatalogs(loadCatalogFiles(args[0]!), loadCatalogFiles(args[1]!));
    for (const c of changes) console.log(describeCatalogChange(c));
    const refused = changes.filter((c) => !c.compatible).length;
    console.log(
      `\n${changes.length} changes, ${refused} refused${refused ? ': the sink would apply none of them' : ''}`,
    );
    if (refused) process.exitCode = 1;
  } else if (command === 'apply') {
    const files = loadCatalogFiles(cfg.catalog.paths);
    const log = createLogger('catalog', cfg.logLevel);
    const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
    const link = await connectNats(natsAccessOf(cfg, 'jobs'), 'edge-events catalog apply', log);
    try {
      const registry = await openCatalogRegistry(link.nc, { create: true, replicas: cfg.stream.replicas });
      const catalog = await applyCatalog(files, ch, registry, log);
      console.log(
        `catalog version ${catalog.version} (${catalog.types.length} types) in force ` +
          `on ${ch.location}, database ${ch.database}`,
      );
    } finally {
      await link.nc.close();
      await ch.close();
    }
  } else if (command === 'generate') {
    const check = args.includes('--check');
    let stale = 0;
    // With the NATS users of the Kubernetes manifests (streams/permissions.ts; the manifests test checks them).
    for (const [path, content] of Object.entries({
      ...generatedFiles(loadCatalogFiles('catalog'), readFileSync('README.md', 'utf8')),
      'deploy/k8s/base/nats/users.conf': natsAuthorization(),
    })) {
      const current = (() => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return '';
        }
      })();
      if (current === content) continue;
      stale++;
      if (check) console.error(`stale: ${path}`);
      else (writeFileSync(path, content), console.log(`wrote ${path}`));
    }
    if (check && stale) process.exitCode = 1;
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (err) {
  exitIfRefused(err);
}
