// The published catalog versions, in NATS KV bucket `catalog` (key `current`, with history): a version is published
// only once ClickHouse holds every table and column it needs, and every process follows the newest one without a
// restart (catalog-in-force.ts). Versions count up from 1; a publish is a compare-and-set on the key's revision, so
// two sinks starting together publish one version, not two. Wire: JetStream KV (stream KV_catalog), each value the
// JSON of a PublishedCatalog.
// A value is data that whoever may write the bucket can write, and its names reach SQL, DDL, subjects and archive
// paths: each is checked as the catalog files are (the files' schema, then compiled) before anything takes it. A
// value that is not a valid version (not JSON, a name that is no plain identifier, types that do not compile here) is
// refused with the reason; the newest valid version stands in for it, and the catalog in force stays.
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import * as v from 'valibot';
import { catalogFromData, Refused, type Catalog, type TypeSpec } from '../shared/mod.ts';
import { throughElection } from './election.ts';

export const CATALOG_BUCKET = 'catalog';
const KEY = 'current';
const FOLLOW_EVERY_MS = 1000;

interface PublishedCatalog {
  /** 1, 2, …: rows record it (UInt32). */
  version: number;
  /** sha256 of the types as published: the same files give the same digest. */
  digest: string;
  types: TypeSpec[];
  published_at: string;
}

export const digestOf = (types: readonly unknown[]) => createHash('sha256').update(JSON.stringify(types)).digest('hex');

/** What a stored value must be before its types are looked at. */
const Envelope = v.object({
  version: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(2 ** 32 - 1)),
  digest: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  types: v.array(v.unknown()),
  published_at: v.string(),
});

/** A stored value that is not a valid version, and why; `version` is the number it claims, when it has one. */
class CatalogVersionRefused extends Refused {
  override name = 'CatalogVersionRefused';
  constructor(
    message: string,
    readonly version?: number,
  ) {
    super(message);
  }
}

/** A stored value as a published version, checked as the files are; else CatalogVersionRefused saying why. */
function decodePublished(value: Uint8Array, revision: number): PublishedCatalog {
  const at = `the catalog in NATS KV (revision ${revision})`;
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  } catch {
    throw new CatalogVersionRefused(`${at} is not JSON`);
  }
  const envelope = v.safeParse(Envelope, data);
  if (!envelope.success) {
    const problems = envelope.issues.map((i) => `${v.getDotPath(i) ?? 'the value'}: ${i.message}`);
    const claimed = (data as { version?: unknown } | null)?.version;
    const version = Number.isSafeInteger(claimed) && (claimed as number) > 0 ? (claimed as number) : undefined;
    throw new CatalogVersionRefused(`${at} is not a published catalog: ${problems.slice(0, 5).join('; ')}`, version);
  }
  const { version, digest, types, published_at } = envelope.output;
  if (digestOf(types) !== digest)
    throw new CatalogVersionRefused(`${at}, version ${version}: its digest is not that of its types`, version);
  try {
    const catalog = catalogFromData(types, version);
    return { version, digest, types: catalog.types.map((t) => t.spec), published_at };
  } catch (err) {
    throw new CatalogVersionRefused(`${at}, version ${version}, is refused: ${(err as Error).message}`, version);
  }
}

/** The key's newest entry: the version it holds, or — when that is refused — the newest valid one and why. */
interface Latest {
  /** The newest valid version (undefined when nothing valid was ever published). */
  published?: PublishedCatalog;
  /** The key's revision (0 when nothing was ever published): what a publish must follow. */
  revision: number;
  /** Why the key's newest value is not `published`, when it is refused. */
  refused?: CatalogVersionRefused;
}

export interface CatalogRegistry {
  /** The newest published version and the key's revision (0 when nothing was ever published). */
  latest(): Promise<Latest>;
  /** Every valid version the bucket still remembers, oldest first. */
  history(): Promise<PublishedCatalog[]>;
  /** Publishes `types` as the version after `after` (and after any number a refused value claimed); undefined when
   *  someone published first (read and try again). */
  publish(types: readonly TypeSpec[], after: Latest): Promise<PublishedCatalog | undefined>;
  /** Calls `onVersion` with the newest valid version now and at every later revision of the key, and `onRefused`
   *  with each value that is refused, until stopped. `check()` reads the key now (its errors are thrown). */
  follow(
    onVersion: (published: PublishedCatalog) => void,
    onRefused?: (err: Error) => void,
  ): Promise<{ stop(): void; check(): Promise<void> }>;
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
  /** The catalog key's entry, or null while the bucket does not exist. */
  const entryOf = () =>
    kv.get(KEY).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
  const history = async () => {
    const out: PublishedCatalog[] = [];
    const entries = await kv.history({ key: KEY }).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    for await (const entry of entries) {
      if (entry.operation !== 'PUT') continue;
      try {
        out.push(decodePublished(entry.value, entry.revision));
      } catch (err) {
        if (!(err instanceof CatalogVersionRefused)) throw err;
      }
    }
    return out;
  };
  /** The entry's version; when it is refused, the newest valid one (read from the history) stands in for it. */
  const resolve = async (entry: KvEntry): Promise<Latest> => {
    try {
      return { published: decodePublished(entry.value, entry.revision), revision: entry.revision };
    } catch (err) {
      if (!(err instanceof CatalogVersionRefused)) throw err;
      return { published: (await history()).at(-1), revision: entry.revision, refused: err };
    }
  };
  const latest = async (): Promise<Latest> => {
    const entry = await entryOf();
    if (!entry || entry.operation !== 'PUT') return { revision: entry?.revision ?? 0 };
    return resolve(entry);
  };
  return {
    latest,
    history,
    async publish(types, after) {
      const published: PublishedCatalog = {
        version: Math.max(after.published?.version ?? 0, after.refused?.version ?? 0) + 1,
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
    async follow(onVersion, onRefused = () => {}) {
      // Polled, not watched: a KV watch re-creates its ordered consumer when a node dies, and in a cluster that
      // request can time out inside nats.js with nothing to catch it (it stopped the sink in the cluster fault
      // tests). A read a second is nothing, and a version is rarely published. A revision is decoded once.
      let seen = 0;
      const check = async () => {
        const entry = await entryOf();
        if (!entry || entry.operation !== 'PUT' || entry.revision === seen) return;
        const got = await resolve(entry);
        if (entry.revision === seen) return; // another read took it meanwhile
        seen = entry.revision;
        if (got.refused) onRefused(got.refused);
        if (got.published) onVersion(got.published);
      };
      let reading: Promise<void> | undefined;
      const read = () =>
        (reading ??= check()
          .catch(() => {})
          .finally(() => (reading = undefined)));
      // The first read in the background too: listeners added right after this returns hear of it.
      void read();
      const timer = setInterval(read, FOLLOW_EVERY_MS);
      timer.unref();
      return { stop: () => clearInterval(timer), check };
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

/** Compiles a published version, checked as the files are; a version that does not compile (an older edge-events
 *  reading a newer format) is refused with the reason (a CatalogError). */
export const catalogOfPublished = (published: PublishedCatalog): Catalog =>
  catalogFromData(published.types, published.version);

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
  const following = registry ? await registry.follow(take, onError) : undefined;
  return {
    current: () => current,
    refresh: async () => following?.check(),
    onChange: (listener) => void listeners.push(listener),
    stop: () => following?.stop(),
  };
}
