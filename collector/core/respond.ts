// Outcomes → the HTTP answer, the one place where an event's outcome becomes a status. One event: its own status.
// An event a step dropped (a bot its type does not keep) is answered as accepted, with `dropped` and why: a client
// must not retry it. Several: 202 all accepted, 207 some rejected, 400 none accepted, 503 (+ Retry-After) if any
// could not be stored — with a result per event. A 503 says what is unavailable and why as a code (`timeout`,
// `disconnected`, …), never how the storage is reached or what its servers said.
import type { CoreResponse, Refusal } from './types.ts';
import { json, RETRY_AFTER_SECONDS } from './http-error.ts';
import type { Outcome } from './ingest.ts';

const RETRY = { 'retry-after': RETRY_AFTER_SECONDS };

type Unavailable = Extract<Outcome, { status: 'unavailable' }>;
export type Accepted = Extract<Outcome, { status: 'accepted' }>;
const unavailable = (o: Unavailable) => ({
  error: o.reason === 'overloaded' ? 'collector overloaded, retry later' : 'event storage is unavailable, retry later',
  reason: o.reason,
});

/** How a single refused event is answered. */
const REFUSALS: Record<Refusal, { status: number; error: string; details?: Record<string, string> }> = {
  invalid: { status: 400, error: 'invalid event' },
  too_large: { status: 413, error: 'event too large', details: { limit: 'event' } },
  forbidden: { status: 403, error: 'event type not allowed' },
};

export interface Shape {
  /** The success of a single event (seed and Segment routes answer in their own shape). */
  one(o: Accepted): CoreResponse;
  /** The success of a batch whose every event was accepted; per-event results by default. */
  all?(count: number): CoreResponse;
}

export function respond(outcomes: Outcome[], batch: boolean, shape: Shape): CoreResponse {
  if (!batch) {
    const o = outcomes[0]!;
    if (o.status === 'accepted') return shape.one(o);
    if (o.status === 'rejected') {
      const { status, error, details } = REFUSALS[o.refusal];
      return json(status, { error, ...details, issues: o.issues });
    }
    return json(503, unavailable(o), RETRY);
  }
  let ok = 0;
  let bad = 0;
  let down = 0;
  const results = outcomes.map((o, index) => {
    if (o.status === 'accepted') {
      ok++;
      const { event_id, type, dropped } = o;
      return dropped
        ? { index, status: 'dropped', reason: dropped, event_id, type }
        : { index, status: 'accepted', event_id, type };
    }
    if (o.status === 'rejected') return (bad++, { index, status: 'rejected', issues: o.issues });
    return (down++, { index, status: 'unavailable', ...unavailable(o) });
  });
  if (down === 0 && bad === 0 && shape.all) return shape.all(ok);
  const status = down > 0 ? 503 : bad === 0 ? 202 : ok === 0 ? 400 : 207;
  return json(status, { accepted: ok, rejected: bad, unavailable: down, results }, down > 0 ? RETRY : {});
}
