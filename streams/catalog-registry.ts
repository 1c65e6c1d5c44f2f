// The published catalog versions, in NATS KV bucket `catalog` (key `current`, with history): a version is published
// only once ClickHouse holds every table and column it needs, and every process follows the newest one without a
// restart (catalog-in-force.ts). Versions count up from 1; a publish is a compare-and-set on the key's revision, so
// two sinks starting together publish one version, not two. Wire: JetStream KV (stream KV_catalog).
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { buildCatalog, type Catalog, type TypeSpec } from '../shared/mod.ts';
import { throughElection } from './election.ts';

export const CATALOG_BUCKET = 'catalog';
const KEY = 'current';
const FOLLOW_EVERY_MS = 1000;

interface PublishedCatalog {
  version: number;
  /** sha256 of the types as published: the same files give the same digest. */
  digest: string;
  types: TypeSpec[];
  published_at: string;
}

export const digestOf = (types: readonly TypeSpec[]) =>
  createHash('sha256').update(JSON.stringify(types)).digest('hex');

export interface CatalogRegistry {
  /** The newest published version and the key's revision (0 when nothing was ever published). */
  latest(): Promise<{ published?: PublishedCatalog; revision: number }>;
  /** Every version the bucket still remembers, oldest first. */
  history(): Promise<PublishedCatalog[]>;
  /** Publishes `types` as the version after `after`; undefined when someone published first (read and try again). */
  publish(
    types: readonly TypeSpec[],
    after: { published?: PublishedCatalog; revision: number },
  ): Promise<PublishedCatalog | undefined>;
  /** Calls `onVersion` with the newest version now and with every later one, until stopped. */
  follow(onVersion: (published: PublishedCatalog) => void): Promise<{ stop(): void }>;
}

/** The bucket is not there (yet): nothing was ever published. */
const isMissing = (err: unknown) => err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

/**
 * The registry on this connection. `create`: make the bucket when it is missing (the sink, `npm run catalog apply`:
 * the processes that publish); else bind to it without asking the server — until the bucket exists (the collector,
 * the reader or the archiver started before anything was published) there is no published version, and the first one
 * is read once it is there. The readers' NATS users may not create it.
 */
export async function openCatalogRegistry(
  nc: NatsConnection,
  opts: { create: boolean; replicas?: number },
): Promise<CatalogRegistry> {
  const kvm = new Kvm(nc);
  let kv: KV;
  if (opts.create) {
    kv = await kvm.create(CATALOG_BUCKET, { history: 64, replicas: opts.replicas ?? 1 });
    // A replicated bucket just created answers reads once its stream has a leader.
    await throughElection(() => kv.get(KEY));
  } else kv = await kvm.open(CATALOG_BUCKET);
  const decode = (value: Uint8Array) => JSON.parse(new TextDecoder().decode(value)) as PublishedCatalog;
  const latest = async (): Promise<{ published?: PublishedCatalog; revision: number }> => {
    const entry = await kv.get(KEY).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    if (!entry || entry.operation !== 'PUT') return { revision: entry?.revision ?? 0 };
    return { published: decode(entry.value), revision: entry.revision };
  };
  return {
    latest,
    async history() {
      const out: PublishedCatalog[] = [];
      const entries = await kv.history({ key: KEY }).catch((err: unknown) => {
        if (isMissing(err)) return [];
        throw err;
      });
      for await (const entry of entries) if (entry.operation === 'PUT') out.push(decode(entry.value));
      return out;
    },
    async publish(types, after) {
      const published: PublishedCatalog = {
        version: (after.published?.version ?? 0) + 1,
        digest: digestOf(types),
        types: [...types],
        published_at: new Date().toISOString(),
      };
      const value = JSON.stringify(published);
      try {
        if (after.revision === 0) await kv.create(KEY, value);
        else await kv.update(KEY, value, after.revision);
        return published;
      } catch (err) {
        // Wrong last sequence (create and update alike): someone else published since we read.
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence)
          return undefined;
        throw err;
      }
    },
    async follow(onVersion) {
      // Polled, not watched: a KV watch re-creates its ordered consumer when a node dies, and in a cluster that
      // request can time out inside nats.js with nothing to catch it (it stopped the sink in the cluster fault
      // tests). A read a second is nothing, and a version is rarely published.
      let seen = 0;
      let reading: Promise<void> | undefined;
      const read = () =>
        (reading ??= latest()
          .then(({ published, revision }) => {
            if (published && revision !== seen) {
              seen = revision;
              onVersion(published);
            }
          })
          .catch(() => {})
          .finally(() => (reading = undefined)));
      // The first read in the background too: listeners added right after this returns hear of it.
      void read();
      const timer = setInterval(read, FOLLOW_EVERY_MS);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}

/** The catalog in force in a process: the newest published version, followed as new ones are published. */
export interface LiveCatalog {
  current(): Catalog;
  /** Reads the newest version now (e.g. before deciding that a type is unknown). */
  refresh(): Promise<void>;
  /** Called with each new catalog once it is in force. */
  onChange(listener: (catalog: Catalog) => void): void;
  stop(): void;
}

/** Compiles a published version; a version that does not compile (an older edge-events reading a newer format) is
 *  refused with the reason. */
export function catalogOfPublished(published: PublishedCatalog): Catalog {
  const { catalog, issues } = buildCatalog(published.types, published.version);
  if (catalog) return catalog;
  throw new Error(
    `catalog version ${published.version} does not compile here: ${issues.map((i) => i.message).join('; ')}`,
  );
}

/**
 * Starts from `initial` (the files, or a version just published) and switches to every newer published version.
 * Without a registry the catalog stays as it is.
 */
export async function followCatalog(
  registry: CatalogRegistry | undefined,
  initial: Catalog,
  onError: (err: Error) => void = () => {},
): Promise<LiveCatalog> {
  let current = initial;
  const listeners: ((c: Catalog) => void)[] = [];
  const take = (published: PublishedCatalog) => {
    // A catalog read from files (version 0) gives way to any published one; a published one only to a newer one.
    if (current.version !== 0 && published.version <= current.version) return;
    try {
      current = catalogOfPublished(published);
      for (const listener of listeners) listener(current);
    } catch (err) {
      onError(err as Error);
    }
  };
  const following = registry ? await registry.follow(take) : undefined;
  return {
    current: () => current,
    async refresh() {
      const { published } = (await registry?.latest()) ?? {};
      if (published) take(published);
    },
    onChange: (listener) => void listeners.push(listener),
    stop: () => following?.stop(),
  };
}
