// Outcomes → the HTTP answer. One event: its own status. Several: 202 all accepted, 207 some rejected,
// 400 none accepted, 503 (+ Retry-After) if any could not be stored — with a result per event.
import type { CoreResponse } from './types.ts';
import { json, RETRY_AFTER_SECONDS } from './http-error.ts';
import type { Outcome } from './ingest.ts';

const RETRY = { 'retry-after': RETRY_AFTER_SECONDS };

export interface Shape {
  /** The success of a single event (seed and Segment routes answer in their own shape). */
  one(o: Extract<Outcome, { status: 'accepted' }>): CoreResponse;
  /** The success of a batch whose every event was accepted; per-event results by default. */
  all?(count: number): CoreResponse;
}

export function respond(outcomes: Outcome[], batch: boolean, shape: Shape): CoreResponse {
  if (!batch) {
    const o = outcomes[0]!;
    if (o.status === 'accepted') return shape.one(o);
    if (o.status === 'rejected') {
      const error = o.http === 413 ? 'event too large' : o.http === 403 ? 'event type not allowed' : 'invalid event';
      return json(o.http ?? 400, { error, ...(o.http === 413 ? { limit: 'event' } : {}), issues: o.issues });
    }
    return json(503, { error: 'event not stored, retry later', reason: o.error }, RETRY);
  }
  let ok = 0;
  let bad = 0;
  let down = 0;
  const results = outcomes.map((o, index) => {
    if (o.status === 'accepted') return ok++, { index, status: 'accepted', event_id: o.event_id, type: o.type };
    if (o.status === 'rejected') return bad++, { index, status: 'rejected', issues: o.issues };
    return down++, { index, status: 'unavailable', error: o.error };
  });
  if (down === 0 && bad === 0 && shape.all) return shape.all(ok);
  const status = down > 0 ? 503 : bad === 0 ? 202 : ok === 0 ? 400 : 207;
  return json(status, { accepted: ok, rejected: bad, unavailable: down, results }, down > 0 ? RETRY : {});
}
