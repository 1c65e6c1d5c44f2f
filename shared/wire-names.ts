// How events are named on the wire: the NATS subjects of event types, dead letters and relays, the collector's
// routes, and the message ids that make a republish idempotent (Nats-Msg-Id, a webhook's Idempotency-Key). Each
// name is built here and nowhere else, with its parser where something reads one back.
//
// JetStream drops a message whose Nats-Msg-Id it saw within the duplicate window, per stream. Stream EVENTS takes
// ids of four kinds, each behind its own prefix, so no value a client sends can equal an id the pipeline makes:
// `event:<event_id>` (a message of one event from a collector; the event_id is the client's, when it gave one),
// `batch:<digest>` (a message of many: streams' messageIdOf digests their ids), `redrive:<stream>:<seq>` and
// `replay:<run>:<event_id>`. Streams DLQ and RELAYED take only ids the pipeline makes from stream sequences.

/** Stream EVENTS holds one subject per event type: `events.<type key>`. */
export const EVENT_SUBJECTS = 'events.>';
export const eventSubject = (typeKey: string): string => `events.${typeKey}`;

/** Stream DLQ: the sink's dead letters on `dlq.<type key>`, relay `relay`'s on `dlq.relay.<relay>.<type key>`. */
export const DLQ_SUBJECTS = 'dlq.>';
export const dlqSubject = (typeKey: string, relay?: string): string =>
  relay === undefined ? `dlq.${typeKey}` : `dlq.relay.${relay}.${typeKey}`;

/** The type key of an `events.<key>` subject; of a dead letter's, what follows `dlq.` (`relay.<relay>.<key>` for a
 *  relay's, which dlqSubject() takes back). */
export const typeKeyOf = (subject: string): string => subject.slice(subject.indexOf('.') + 1);

/** Stream RELAYED: relay `relay` republishes an event first stored on `subject` to `relay.<relay>.<subject>`. */
export const RELAYED_SUBJECTS = 'relay.>';
export const relaySubject = (relay: string, subject: string): string => `relay.${relay}.${subject}`;

/** The collector's route for events naming their type in the body (or landing in the fallback type). */
export const EVENTS_ROUTE = '/v1/events';
/** The collector's route for events of one type, as a template (a metric label, the OpenAPI path). */
export const TYPED_EVENTS_ROUTE = '/v1/events/{type}';
const TYPED_PREFIX = `${EVENTS_ROUTE}/`;
/** The route for events of the type named `type` (its name or key). */
export const typedEventsRoute = (type: string): string => `${TYPED_PREFIX}${encodeURIComponent(type)}`;
/** The type a `/v1/events/<type>` path names (a trailing slash allowed); undefined for any other path. Throws a
 *  URIError on a malformed escape. */
export const routedTypeOf = (path: string): string | undefined =>
  path.startsWith(TYPED_PREFIX) ? decodeURIComponent(path.slice(TYPED_PREFIX.length).replace(/\/$/, '')) : undefined;

/** Nats-Msg-Id of a collector's message holding one event: the same event_id sent twice (a client's retry) is one
 *  message within the duplicate window, and no event_id makes another kind of id. */
export const eventMessageId = (eventId: string): string => `event:${eventId}`;

/** Nats-Msg-Id of a message holding many events, from the digest of their message ids (streams' messageIdOf). */
export const batchMessageId = (digest: string): string => `batch:${digest}`;

/** Who dead-lettered a letter (its Edge-Dlq-By header, the start of its message id): the sink, the archiver, or a
 *  relay. */
export const SINK_DEAD_LETTERER = 'sink';
export const ARCHIVER_DEAD_LETTERER = 'archiver';
export const relayDeadLetterer = (relay: string): string => `relay:${relay}`;

/** Nats-Msg-Id of a dead letter: message `seq` of `stream`, and `line` when only that event of it is dead. */
export const deadLetterMessageId = (by: string, stream: string, seq: number, line?: number): string =>
  `${by}:${stream}:${seq}${line === undefined ? '' : `:${line}`}`;

/** Nats-Msg-Id of relay `relay`'s republish of message `seq` of `stream`. */
export const relayMessageId = (relay: string, stream: string, seq: number): string => `${relay}:${stream}:${seq}`;

/** Idempotency-Key of a webhook relay's POST of the messages `first` … `last` of `stream`: the same batch retried
 *  carries the same key. */
export const webhookIdempotencyKey = (relay: string, stream: string, first: number, last: number): string =>
  `${relay}:${stream}:${first}-${last}`;

/** Requests between the pipeline's processes, on subjects no stream takes: `control.redrive` asks a sink to redrive
 *  dead letters (the reader may ask; only the sink publishes events on its behalf). */
export const REDRIVE_SUBJECT = 'control.redrive';

/** Nats-Msg-Id of dead letter `seq` of stream `stream` redriven to its original subject. */
export const redriveMessageId = (stream: string, seq: number): string => `redrive:${stream}:${seq}`;

/** Nats-Msg-Id of an event replayed from the archive by replay run `run` (not its original id, which JetStream's
 *  duplicate window may still hold). */
export const replayMessageId = (run: string, eventId: string): string => `replay:${run}:${eventId}`;
