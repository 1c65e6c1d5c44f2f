// Candidate events → validated, enriched rows published to `events.<type>`: each event gets an
// event_id (client-given or UUIDv7) and received_at, and is accepted only once the stream acked it.
import { newEventId } from './event-id.ts';
import { eventTypeOf, formatUtc, validateEvent, type EventType, type Issue, type Source } from '../../shared/mod.ts';
import type { IngestItem } from './segment.ts';
import type { Budget } from './limiter.ts';
import type { CollectorObserver, EventOutcome, Publisher } from './types.ts';

export type Outcome =
  | { status: 'accepted'; event_id: string; type: string }
  /** `http`: the status a single event answers with (400 by default; 413 too large, 403 not allowed). */
  | { status: 'rejected'; issues: Issue[]; http?: 403 | 413; type?: string }
  | { status: 'unavailable'; error: string; type?: string };

export interface IngestOptions {
  /** The type named by the route; otherwise the item's own type, else its `event` field decides. */
  type?: EventType;
  /** The sending source, when write keys are configured: limits the types it may send. */
  source?: Source;
  eventLimitBytes: number;
  form: boolean;
  now: number;
  /** Events awaiting a PubAck, across all requests. */
  inflight: Budget;
  /** Carried on every message (traceparent of the request's span), when tracing is on. */
  headers?: Record<string, string>;
  observer: CollectorObserver;
}

const encoder = new TextEncoder();
const subjects = new Map<string, string>();
const subjectOf = (key: string) => subjects.get(key) ?? subjects.set(key, `events.${key}`).get(key)!;

export async function ingest(items: IngestItem[], publisher: Publisher, opts: IngestOptions): Promise<Outcome[]> {
  const receivedAt = formatUtc(opts.now, true);
  const outcomes: Outcome[] = new Array(items.length);
  const ready: { index: number; subject: string; line: string; id: string; type: string }[] = [];
  items.forEach((item, index) => {
    if (!item.ok) return void (outcomes[index] = { status: 'rejected', issues: item.issues });
    const value = item.value;
    const type = opts.type ?? item.type ?? (isRecord(value) ? eventTypeOf(value) : undefined);
    if (!type) return void (outcomes[index] = { status: 'rejected', issues: [{ path: '', message: 'expected a JSON object' }] });
    if (opts.source?.types && !opts.source.types.includes(type.key)) {
      const issues = [{ path: 'event', message: `source ${JSON.stringify(opts.source.name)} may not send ${type.name} events` }];
      return void (outcomes[index] = { status: 'rejected', issues, http: 403, type: type.key });
    }
    const checked = validateEvent(type, value, { fromForm: opts.form });
    if (!checked.ok) return void (outcomes[index] = { status: 'rejected', issues: checked.issues, type: type.key });
    const given = checked.row.event_id as string | undefined;
    const eventId = given ?? newEventId();
    const line = withStamps(JSON.stringify(checked.row), given ? undefined : eventId, receivedAt);
    // A character is at most 3 bytes, so only an event near the limit needs its bytes counted.
    const bytes = line.length * 3 > opts.eventLimitBytes ? encoder.encode(line).byteLength : 0;
    if (bytes > opts.eventLimitBytes) {
      const issues = [{ path: '', message: `event is ${bytes} bytes, over the per-event limit of ${opts.eventLimitBytes} bytes` }];
      return void (outcomes[index] = { status: 'rejected', issues, http: 413, type: type.key });
    }
    ready.push({ index, subject: subjectOf(type.key), line, id: eventId, type: type.key });
  });
  if (ready.length > 0 && !opts.inflight.tryTake(ready.length)) {
    // All of a request's events fit into the budget, or none is published: answered 503 at once.
    for (const r of ready) outcomes[r.index] = { status: 'unavailable', error: 'collector overloaded: too many events awaiting storage', type: r.type };
  } else if (ready.length > 0) {
    const started = performance.now();
    let failures = 0;
    try {
      const results = await publisher.publish(ready, opts.headers);
      ready.forEach((r, i) => {
        const err = results[i];
        if (err) failures++;
        outcomes[r.index] = err ? { status: 'unavailable', error: err.message, type: r.type } : { status: 'accepted', event_id: r.id, type: r.type };
      });
    } finally {
      opts.inflight.give(ready.length);
    }
    opts.observer.published((performance.now() - started) / 1000, failures === 0);
  }
  // One metrics update per (type, outcome) of the request, not one per event.
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = `${o.type ?? 'unknown'}\0${outcomeOf(o)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    const [type, outcome] = key.split('\0') as [string, EventOutcome];
    opts.observer.events(type, outcome, n);
  }
  return outcomes;
}

function outcomeOf(o: Outcome): EventOutcome {
  if (o.status === 'accepted') return 'accepted';
  if (o.status === 'rejected') return o.http === 413 ? 'too_large' : o.http === 403 ? 'forbidden' : 'invalid';
  return o.error.startsWith('collector overloaded') ? 'overloaded' : 'unavailable';
}

/** The row's JSON with event_id (when assigned here) and received_at appended, without copying the row. */
function withStamps(json: string, assignedId: string | undefined, receivedAt: string): string {
  const stamps = `${assignedId ? `"event_id":"${assignedId}",` : ''}"received_at":"${receivedAt}"}`;
  return json.length > 2 ? `${json.slice(0, -1)},${stamps}` : `{${stamps}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
