// Makes a JetStream server match the declared topology: creates what is missing, updates what
// differs, and reports each stream and consumer as created, updated (which fields) or unchanged.
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Catalog } from '../shared/mod.ts';
import type { Config } from '../shared/config/mod.ts';
import { consumerSpecs, streamSpecs, type ConsumerSpec, type StreamSpec } from './definitions.ts';

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

/** The topology this configuration declares (the catalog resolves the types relays name), applied. */
export async function applyConfiguredTopology(
  nc: NatsConnection,
  cfg: Pick<Config, 'stream' | 'sink' | 'relays' | 'archive'>,
  catalog: Catalog,
): Promise<Change[]> {
  return applyTopology(await jetstreamManager(nc), streamSpecs(cfg.stream), consumerSpecs(cfg, catalog));
}

export const describeChange = (c: Change) =>
  `${c.kind} ${c.name}: ${c.action}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`;
