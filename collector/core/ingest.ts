// Candidate events → validated rows, changed by the ingest steps its type runs (steps/mod.ts: the event_id,
// client-given or UUIDv7, the enrichment the type asks for, received_at, catalog_version), published to
// `events.<type>`; an event is accepted only once the stream acked it, or answered as accepted and dropped when a step
// drops it (a bot the type does not keep).
// Every outcome is a value saying what happened and why; respond.ts turns outcomes into HTTP, metricLabel() into a
// metric label.
import {
  eventMessageId,
  eventSubject,
  grantedOf,
  isRecord,
  validateEvent,
  type Catalog,
  type EventType,
  type Granted,
  type Issue,
  type NotStoredReason,
  type Publisher,
} from '../../shared/mod.ts';
import type { CollectorObserver, EventOutcome, Refusal, Source } from './types.ts';
import type { Client } from './client.ts';
import type { Budget } from './limiter.ts';
import type { IngestItem } from './segment.ts';
import {
  stepsOf,
  STEPS,
  type DropReason,
  type Lookups,
  type Step,
  type StepContext,
  type StepDrop,
  type StepRefusal,
} from './steps/mod.ts';

export type Outcome =
  /** Stored — or, with `dropped`, deliberately not (answered as accepted, so the client does not retry; counted). */
  | { status: 'accepted'; event_id: string; type: string; dropped?: DropReason }
  | { status: 'rejected'; refusal: Refusal; issues: Issue[]; type?: string }
  /** Not stored, worth a retry: why, as a code (the stream's answer, or the collector was `overloaded`). What the
   *  stream said in words stays here: it may name servers, and a client is told only what is unavailable. */
  | { status: 'unavailable'; reason: NotStoredReason | 'overloaded'; type?: string };

export interface IngestOptions {
  catalog: Catalog;
  /** The type named by the route; otherwise the item's own type, else its `event` field decides. */
  type?: EventType;
  /** The sending source, when write keys are configured: limits the types it may send. */
  source?: Source;
  eventLimitBytes: number;
  form: boolean;
  now: number;
  /** Who sent the request: what the steps see of it (its address, the headers they ask for). */
  client: Client;
  /** Default: every step of steps/mod.ts, in its order (each type runs those it wants). */
  steps?: readonly Step[];
  /** What the enrichment steps look things up with. */
  lookups: Lookups;
  /** Events awaiting a PubAck, across all requests. */
  inflight: Budget;
  /** Carried on every message (traceparent of the request's span), when tracing is on. */
  messageHeaders?: Record<string, string>;
  observer: CollectorObserver;
}

const encoder = new TextEncoder();
const subjects = new Map<string, string>();
const subjectOf = (key: string) => subjects.get(key) ?? subjects.set(key, eventSubject(key)).get(key)!;
const rejected = (refusal: Refusal, issues: Issue[], type?: string): Outcome => ({
  status: 'rejected',
  refusal,
  issues,
  type,
});

export async function ingest(items: IngestItem[], publisher: Publisher, opts: IngestOptions): Promise<Outcome[]> {
  const steps = opts.steps ?? STEPS;
  const ctx = new RequestContext(opts.now, opts.catalog.version, opts.client, opts.lookups);
  const outcomes: Outcome[] = new Array(items.length);
  const ready: { index: number; subject: string; line: string; id: string; eventId: string; type: string }[] = [];
  items.forEach((item, index) => {
    if (!item.ok) return void (outcomes[index] = rejected('invalid', item.issues));
    const value = item.value;
    if (!opts.type && !item.type && !isRecord(value)) {
      return void (outcomes[index] = rejected('invalid', [{ path: '', message: 'expected a JSON object' }]));
    }
    const type = opts.type ?? item.type ?? opts.catalog.of(value as Record<string, unknown>);
    if (!type) {
      const name = JSON.stringify((value as Record<string, unknown>).event ?? null);
      const issues = [
        { path: 'event', message: `${name} names no event type in the catalog, which has no fallback type` },
      ];
      return void (outcomes[index] = rejected('invalid', issues));
    }
    if (opts.source?.types && !allows(opts.source.types, type)) {
      const issues = [
        { path: 'event', message: `source ${JSON.stringify(opts.source.name)} may not send ${type.name} events` },
      ];
      return void (outcomes[index] = rejected('forbidden', issues, type.key));
    }
    // The event's consent: the call's (Segment), else a `consent` object beside its fields.
    let granted = item.client?.consent;
    const given = granted === undefined && isRecord(value) ? value.consent : undefined;
    if (given !== undefined) {
      const g = grantedOf(given);
      if (typeof g === 'string') return void (outcomes[index] = rejected('invalid', [{ path: 'consent', message: g }]));
      granted = g;
    }
    const checked = validateEvent(type, value, { fromForm: opts.form });
    if (!checked.ok) return void (outcomes[index] = rejected('invalid', checked.issues, type.key));
    const row = checked.row;
    ctx.forEvent(type, item.client, granted);
    const mine = stepsOf(type, steps);
    let verdict: StepRefusal | StepDrop | undefined;
    for (let i = 0; i < mine.length && !verdict; i++) verdict = mine[i]!.apply(row, ctx);
    if (verdict && 'dropped' in verdict) {
      const eventId = row.event_id as string;
      return void (outcomes[index] = {
        status: 'accepted',
        event_id: eventId,
        type: type.key,
        dropped: verdict.dropped,
      });
    }
    if (verdict) return void (outcomes[index] = rejected(verdict.refusal, verdict.issues, type.key));
    const line = JSON.stringify(row);
    // A character is at most 3 bytes, so only an event near the limit needs its bytes counted.
    const bytes = line.length * 3 > opts.eventLimitBytes ? encoder.encode(line).byteLength : 0;
    if (bytes > opts.eventLimitBytes) {
      const message = `event is ${bytes} bytes, over the per-event limit of ${opts.eventLimitBytes} bytes`;
      return void (outcomes[index] = rejected('too_large', [{ path: '', message }], type.key));
    }
    const eventId = row.event_id as string;
    ready.push({ index, subject: subjectOf(type.key), line, id: eventMessageId(eventId), eventId, type: type.key });
  });
  if (ready.length > 0 && !opts.inflight.tryTake(ready.length)) {
    // All of a request's events fit into the budget, or none is published: answered 503 at once.
    for (const r of ready) outcomes[r.index] = { status: 'unavailable', reason: 'overloaded', type: r.type };
  } else if (ready.length > 0) {
    const started = performance.now();
    let failures = 0;
    try {
      const results = await publisher.publish(ready, opts.messageHeaders);
      ready.forEach((r, i) => {
        const failed = results[i];
        if (failed) failures++;
        outcomes[r.index] = failed
          ? { status: 'unavailable', reason: failed.reason, type: r.type }
          : { status: 'accepted', event_id: r.eventId, type: r.type };
      });
    } finally {
      opts.inflight.give(ready.length);
    }
    opts.observer.published((performance.now() - started) / 1000, failures === 0);
  }
  // One metrics update per (type, outcome) of the request, not one per event.
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = `${o.type ?? 'unknown'}\0${metricLabel(o)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    const [type, outcome] = key.split('\0') as [string, EventOutcome];
    opts.observer.events(type, outcome, n);
  }
  return outcomes;
}

/** The outcome as the `outcome` label of edge_events_events_total. */
function metricLabel(o: Outcome): EventOutcome {
  if (o.status === 'accepted') return o.dropped ? `dropped_${o.dropped}` : 'accepted';
  if (o.status === 'rejected') return o.refusal;
  return o.reason === 'overloaded' ? 'overloaded' : 'unavailable';
}

/** What the steps see of the request: made once per request, the event's own part set for each event. */
class RequestContext implements StepContext {
  type!: EventType;
  private event: IngestItem['client'];
  consent: Granted | undefined;
  private requestAgent: string | undefined | null = null;
  constructor(
    readonly now: number,
    readonly catalogVersion: number,
    private readonly client: Client,
    readonly lookups: Lookups,
  ) {}

  forEvent(type: EventType, client: IngestItem['client'], consent: Granted | undefined): void {
    this.type = type;
    this.event = client;
    this.consent = consent;
  }

  get ip(): string | undefined {
    return this.event?.ip ?? this.client.ip;
  }

  get userAgent(): string | undefined {
    if (this.event?.userAgent !== undefined) return this.event.userAgent;
    // Read once per request, when a step first asks.
    if (this.requestAgent === null) this.requestAgent = this.client.header('user-agent');
    return this.requestAgent;
  }
}

/** Whether a source's `types` (names or keys, as configured) include this type. */
const allows = (types: readonly string[], type: EventType) =>
  types.includes(type.key) || types.includes(type.name) || types.includes(type.name.toLowerCase());
