// The JetStream topology as data: streams EVENTS (`events.<type>`), RELAYED (what NATS relays republish) and DLQ
// (`dlq.<type>`), and the durable pull consumers on EVENTS of the sink, the archiver and each relay; with the
// headers a dead letter and a replayed event carry. apply.ts makes a server match it.
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { DLQ_SUBJECTS, EVENT_SUBJECTS, eventSubject, RELAYED_SUBJECTS, type Catalog } from '../shared/mod.ts';
import { typeKeysOf, type Config } from '../shared/config/mod.ts';

export const EVENTS_STREAM = 'EVENTS';
export const DLQ_STREAM = 'DLQ';
export const RELAYED_STREAM = 'RELAYED';
export const SINK_CONSUMER = 'sink';
export const relayConsumer = (name: string) => `relay_${name}`;
/** The cold tier's consumer (archive/): independent of the sink, so either can stop without stopping the other. */
export const ARCHIVER_CONSUMER = 'archiver';
/** How many messages the archiver may hold unacked while it fills files (it writes its largest file before). */
export const ARCHIVER_MAX_PENDING = 200_000;
/** The archiver holds messages while it fills a file (up to ARCHIVE_FLUSH_SECONDS), longer while the store is down
 *  (kept alive with working()): they are redelivered only when it died. */
export const archiverAckWaitSeconds = (flushSeconds: number): number => 2 * flushSeconds + 10;
/** Messages carrying this header were replayed from the archive: the archiver has them already. */
export const REPLAY_HEADER = 'Edge-Events-Replay';
/** Headers on every dead letter in stream DLQ (`dlq.<type>`), read back by `npm run dlq`. */
export const DLQ_HEADERS = {
  reason: 'Edge-Dlq-Reason',
  code: 'Edge-Dlq-Code',
  deliveries: 'Edge-Dlq-Deliveries',
  subject: 'Edge-Dlq-Subject',
  stream: 'Edge-Dlq-Stream',
  sequence: 'Edge-Dlq-Sequence',
  /** The event's line in the original message, when only that event was dead-lettered. */
  line: 'Edge-Dlq-Line',
  firstFailure: 'Edge-Dlq-First-Failure',
  deadLetteredBy: 'Edge-Dlq-By',
} as const;

export type StreamSpec = Partial<StreamConfig> & { name: string };
export type ConsumerSpec = { stream: string; config: Partial<ConsumerConfig> & { durable_name: string } };

const NOT_AT_THE_EDGE: Config['edge'] = { popDomains: [], hubDomain: undefined };

/** The JetStream API prefix of another domain (a POP's, or the hub's), as a stream source or mirror names it. */
export const domainApi = (domain: string) => ({ api: `$JS.${domain}.API`, deliver: '' });

/**
 * The streams of this server. At the hub (the core), EVENTS also sources stream EVENTS of every point of presence
 * (EDGE_POP_DOMAINS): what a POP stored while cut off arrives when its leaf connection is back, and the leaf
 * connection itself carries no `events.>` (its remote denies them both ways), so each event arrives once. At a POP
 * (EDGE_HUB_DOMAIN), EVENTS only: the POP's collectors publish there, and nothing consumes it but the hub's source.
 */
export function streamSpecs(cfg: Config['stream'], edge: Config['edge'] = NOT_AT_THE_EDGE): StreamSpec[] {
  const limits = {
    max_bytes: cfg.maxBytes,
    max_age: nanos(cfg.maxAgeSeconds * 1000),
    duplicate_window: nanos(cfg.duplicateWindowSeconds * 1000),
    num_replicas: cfg.replicas,
  };
  const events: StreamSpec = {
    name: EVENTS_STREAM,
    subjects: [EVENT_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    // When full, refuse new events (the collector answers 503) rather than drop unread ones.
    discard: DiscardPolicy.New,
    ...limits,
    ...(edge.popDomains.length
      ? { sources: edge.popDomains.map((d) => ({ name: EVENTS_STREAM, external: domainApi(d) })) }
      : {}),
  };
  if (edge.hubDomain) return [events];
  return [
    events,
    {
      // What NATS relays republish (relay.<name>.events.<type>), kept for downstream durable consumers.
      name: RELAYED_STREAM,
      subjects: [RELAYED_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      ...limits,
    },
    {
      name: DLQ_STREAM,
      subjects: [DLQ_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_age: nanos(30 * 24 * 3600 * 1000),
      num_replicas: cfg.replicas,
    },
  ];
}

/** The consumers of this configuration; the catalog resolves the types a relay names. */
export function consumerSpecs(cfg: Pick<Config, 'sink' | 'relays' | 'archive'>, catalog: Catalog): ConsumerSpec[] {
  const archiver = pullConsumer(
    ARCHIVER_CONSUMER,
    'edge-events archiver: Parquet files in object storage, acks after the file is stored',
    EVENT_SUBJECTS,
    1000,
    archiverAckWaitSeconds(cfg.archive.flushSeconds),
  );
  archiver.config.max_ack_pending = ARCHIVER_MAX_PENDING;
  return [
    archiver,
    pullConsumer(
      SINK_CONSUMER,
      'edge-events sink: batches into ClickHouse, acks after the insert',
      EVENT_SUBJECTS,
      cfg.sink.batchSize,
      cfg.sink.ackWaitSeconds,
    ),
    ...cfg.relays.map((relay) => {
      const keys = typeKeysOf(relay.types, catalog, `RELAYS (${relay.name})`);
      return pullConsumer(
        relayConsumer(relay.name),
        `edge-events relay ${relay.name} (${relay.kind})`,
        // One type: filter on the server. Several (2.9 has no filter_subjects): the relay skips the rest.
        keys?.length === 1 ? eventSubject(keys[0]!) : EVENT_SUBJECTS,
        relay.batch_size,
        cfg.sink.ackWaitSeconds,
      );
    }),
  ];
}

/** A durable pull consumer on EVENTS, as the sink, the archiver and every relay use one. */
function pullConsumer(
  name: string,
  description: string,
  filter: string,
  batch: number,
  ackWaitSeconds: number,
): ConsumerSpec {
  return {
    stream: EVENTS_STREAM,
    config: {
      durable_name: name,
      description,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      // Room for the batch being handled and the next one being fetched.
      max_ack_pending: batch * 4,
      max_batch: batch,
      // Unacked messages of a crashed puller come back after this; a live one holding a batch for
      // retry keeps it with working(). Deliveries are unlimited here: the sink itself dead-letters a
      // message delivered more than SINK_MAX_DELIVER times.
      ack_wait: nanos(ackWaitSeconds * 1000),
      max_deliver: -1,
    },
  };
}
