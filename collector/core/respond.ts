// Outcomes → the HTTP answer. One event: its own status. Several: 202 all accepted, 207 some rejected,
// 400 none accepted, 503 (+ Retry-After) if any could not be stored — with a result per event.
import type { CoreResponse } from './types.ts';
import { json, RETRY_AFTER_SECONDS } from './http-error.ts';
import type { Outcome } from './ingest.ts';

const RETRY = { 'retry-after': RETRY_AFTER_SECONDS };

/** `accepted` renders the success of a single event (seed routes answer in their own shape). */
export function respond(outcomes: Outcome[], batch: boolean, accepted: (o: Extract<Outcome, { status: 'accepted' }>) => CoreResponse): CoreResponse {
  if (!batch) {
    const o = outcomes[0]!;
    if (o.status === 'accepted') return accepted(o);
    if (o.status === 'rejected') return json(400, { error: 'invalid event', issues: o.issues });
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
  const status = down > 0 ? 503 : bad === 0 ? 202 : ok === 0 ? 400 : 207;
  return json(status, { accepted: ok, rejected: bad, unavailable: down, results }, down > 0 ? RETRY : {});
}
