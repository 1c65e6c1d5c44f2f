// How every process comes to its catalog in force, written once: the catalog registry (NATS KV) opened — waiting
// through an election — the newest published version read, and every newer one followed as it is published, each
// change logged. Until a version is read, the process's own start (its files, or what the sink just applied) is in
// force; a published version that is refused (not valid, or not compilable here: catalog-registry.ts) is logged with
// the reason and the running one stays.
import type { Catalog } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { followCatalog, openCatalogRegistry, type CatalogRegistry, type LiveCatalog } from './catalog-registry.ts';
import type { NatsLink } from './connect.ts';
import { throughElection } from './election.ts';

interface RegistryOptions {
  /** Create the bucket when missing (the processes that publish); otherwise read it once it exists. */
  create: boolean;
  replicas: number;
}

/** The registry, waiting through an election. */
export const catalogRegistry = (link: NatsLink, o: RegistryOptions): Promise<CatalogRegistry> =>
  throughElection(() => openCatalogRegistry(link.nc, o));

/** Follows `registry` from `start`: resolves once the newest published version has been read. */
export async function catalogInForce(
  registry: CatalogRegistry | undefined,
  start: Catalog,
  log: Logger,
): Promise<LiveCatalog> {
  let following: LiveCatalog | undefined;
  const live = (following = await followCatalog(registry, start, (err) =>
    log.error(
      { err: err.message, in_force: following?.current().version ?? start.version },
      'a published catalog version is refused; the catalog in force stays',
    ),
  ));
  await throughElection(() => live.refresh());
  live.onChange((c) => log.info({ version: c.version, types: c.types.length }, 'catalog version in force'));
  log.info({ version: live.current().version, types: live.current().types.length }, 'catalog in force');
  return live;
}
