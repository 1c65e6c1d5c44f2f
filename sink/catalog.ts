// How a catalog comes into force: the sink — the one part that can change ClickHouse — compares the catalog in its
// files with the newest published version, refuses a breaking change before touching anything, migrates ClickHouse
// (new tables, new columns), and only then publishes the version. Collectors follow published versions, so no
// collector accepts an event whose table or column does not exist yet. A sink whose files hold an older version
// than the published one (a rollout in progress) follows the published one and publishes nothing. A published value
// that is not a valid version (streams/catalog-registry.ts) is passed over.
import { buildCatalog, Refused, type Catalog } from '../shared/mod.ts';
import { diffCatalogs, describeCatalogChange } from '../shared/schema/mod.ts';
import { migrate, type ClickHouse, type Migration } from '../shared/clickhouse/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { catalogOfPublished, digestOf, type CatalogRegistry } from '../streams/mod.ts';

class CatalogRefused extends Refused {
  override name = 'CatalogRefused';
  constructor(readonly changes: string[]) {
    super(
      'the catalog files change what stored rows mean; nothing was applied:\n' +
        changes.map((c) => `  ${c}`).join('\n'),
    );
  }
}

/** Applies `files` and returns the catalog in force (published, with its version). Throws CatalogRefused or
 *  MigrationRefused, having changed nothing. */
export async function applyCatalog(
  files: Catalog,
  ch: ClickHouse,
  registry: CatalogRegistry,
  log: Logger,
): Promise<Catalog> {
  const specs = files.types.map((t) => t.spec);
  const digest = digestOf(specs);
  for (;;) {
    const latest = await registry.latest();
    // A value in the bucket that is no valid version is never compared with, applied or followed: the newest valid
    // version stands in for it, and a new version is published after it.
    if (latest.refused)
      log.error(
        { err: latest.refused.message, instead: latest.published?.version ?? 'none' },
        'the newest published catalog value is refused',
      );
    const before = latest.published;
    if (before?.digest === digest) {
      // The same version: make sure its tables are there (a new ClickHouse, a dropped table).
      await migrateNoting(ch, files, log);
      return catalogOfPublished(before);
    }
    if (before) {
      if ((await registry.history()).some((v) => v.digest === digest)) {
        log.warn({ published: before.version }, 'the catalog files hold an older version; following the published one');
        return catalogOfPublished(before);
      }
      const refused = diffCatalogs(catalogOfPublished(before), files).filter((c) => !c.compatible);
      if (refused.length) throw new CatalogRefused(refused.map(describeCatalogChange));
    }
    const plan = await migrateNoting(ch, files, log);
    const published = await registry.publish(specs, latest);
    if (!published) continue; // another sink published meanwhile: compare with its version
    log.info({ version: published.version, statements: plan.statements.length }, 'catalog published');
    return buildCatalog(specs, published.version).catalog!;
  }
}

/** migrate(), saying when a cluster node that is down has statements queued for its return. */
export async function migrateNoting(ch: ClickHouse, catalog: Catalog, log: Logger): Promise<Migration> {
  const plan = await migrate(ch, catalog);
  if (plan.pending.length)
    log.warn(
      { cluster: ch.dialect.cluster, statements: plan.pending.length, first: plan.pending[0]?.split('\n')[0] },
      'a ClickHouse node has not run these statements yet (down?); it runs them when it is back',
    );
  for (const note of plan.unsupported) log.warn(note);
  return plan;
}
