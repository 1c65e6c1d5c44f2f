// Makes a JetStream server match the declared topology: creates what is missing, updates what
// differs, and reports each stream and consumer as created, updated (which fields) or unchanged.
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Catalog } from '../shared/mod.ts';
import type { Config } from '../shared/config/mod.ts';
import { CATALOG_BUCKET } from './catalog-registry.ts';
import { consumerSpecs, domainApi, streamSpecs, type ConsumerSpec, type StreamSpec } from './definitions.ts';
import { PRIVACY_BUCKET } from './privacy-register.ts';

interface Change {
  kind: 'stream' | 'consumer';
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  fields: string[];
}

const differing = (want: object, have: object) =>
  Object.entries(want)
    .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((have as Record<string, unknown>)[k]))
    .map(([k]) => k);

/** The stream or consumer asked about does not exist: by JetStream's error code, never by message text. */
const NOT_FOUND: number[] = [JetStreamApiCodes.StreamNotFound, JetStreamApiCodes.ConsumerNotFound];
const isNotFound = (err: unknown) => err instanceof JetStreamApiError && NOT_FOUND.includes(err.code);

async function applyTopology(
  jsm: JetStreamManager,
  streams: StreamSpec[],
  consumers: ConsumerSpec[],
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const spec of streams) {
    const info = await jsm.streams.info(spec.name).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (!info) {
      await jsm.streams.add(spec);
      changes.push({ kind: 'stream', name: spec.name, action: 'created', fields: [] });
      continue;
    }
    const fields = differing(spec, info.config);
    if (fields.length) await jsm.streams.update(spec.name, { ...info.config, ...spec });
    changes.push({ kind: 'stream', name: spec.name, action: fields.length ? 'updated' : 'unchanged', fields });
  }
  for (const { stream, config } of consumers) {
    const name = `${stream}/${config.durable_name}`;
    const info = await jsm.consumers.info(stream, config.durable_name).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (!info) {
      await jsm.consumers.add(stream, config);
      changes.push({ kind: 'consumer', name, action: 'created', fields: [] });
      continue;
    }
    const fields = differing(config, info.config);
    if (fields.length) await jsm.consumers.update(stream, config.durable_name, config);
    changes.push({ kind: 'consumer', name, action: fields.length ? 'updated' : 'unchanged', fields });
  }
  return changes;
}

/** At a point of presence: the hub's catalog and privacy buckets mirrored into this server, so its collectors read
 *  the catalog in force and whose events to refuse from here, also while the hub is out of reach. */
async function mirrorHubBuckets(nc: NatsConnection, jsm: JetStreamManager, hubDomain: string): Promise<Change[]> {
  const changes: Change[] = [];
  for (const bucket of [CATALOG_BUCKET, PRIVACY_BUCKET]) {
    const name = `KV_${bucket}`;
    const exists = await jsm.streams.info(name).then(
      () => true,
      (err) => (isNotFound(err) ? false : Promise.reject(err)),
    );
    if (!exists)
      await new Kvm(nc).create(bucket, { history: 64, mirror: { name: bucket, external: domainApi(hubDomain) } });
    changes.push({ kind: 'stream', name, action: exists ? 'unchanged' : 'created', fields: [] });
  }
  return changes;
}

/** The topology this configuration declares (the catalog resolves the types relays name), applied: at a point of
 *  presence (EDGE_HUB_DOMAIN), its stream EVENTS and the mirrors of the hub's buckets; elsewhere every stream and
 *  consumer. */
export async function applyConfiguredTopology(
  nc: NatsConnection,
  cfg: Pick<Config, 'stream' | 'edge' | 'sink' | 'relays' | 'archive'>,
  catalog: Catalog,
): Promise<Change[]> {
  const jsm = await jetstreamManager(nc);
  const { hubDomain } = cfg.edge;
  if (hubDomain)
    return [
      ...(await applyTopology(jsm, streamSpecs(cfg.stream, cfg.edge), [])),
      ...(await mirrorHubBuckets(nc, jsm, hubDomain)),
    ];
  return applyTopology(jsm, streamSpecs(cfg.stream, cfg.edge), consumerSpecs(cfg, catalog));
}

export const describeChange = (c: Change) =>
  `${c.kind} ${c.name}: ${c.action}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`;
