// The collector's routes over plain inputs: the v1 API, the seed routes verbatim, and health.
// Adapters (uWS on Node, Deno.serve) only translate requests and responses.
import { findEventType, type EventType } from '../../shared/mod.ts';
import { movieView } from '../../shared/mod.ts';
import { parseBody } from './body.ts';
import { errorResponse, HttpError, json, overloaded } from './http-error.ts';
import { ingest, type Outcome } from './ingest.ts';
import { Budget } from './limiter.ts';
import { respond } from './respond.ts';
import type { CoreRequest, CoreResponse, Publisher } from './types.ts';

export interface CollectorOptions {
  publisher: Publisher;
  bodyLimitBytes: number;
  /** Events awaiting a PubAck across all requests; past it, 503 at once. */
  maxInflightEvents: number;
  now?: () => number;
}

type Accepted = Extract<Outcome, { status: 'accepted' }>;
type Route = { type?: EventType; accepted: (o: Accepted) => CoreResponse };

const v1: Route['accepted'] = (o) => json(202, { status: 'accepted', event_id: o.event_id, type: o.type });
const seedEvents: Route['accepted'] = (o) => json(200, { status: 'accepted', event_id: o.event_id, type: o.type });
const seedViews: Route['accepted'] = () => json(201, { message: 'acknowledged', status: 'success' });

function route(path: string): Route | undefined {
  if (path === '/v1/events') return { accepted: v1 };
  if (path === '/events' || path === '/events/') return { accepted: seedEvents };
  if (path === '/v1/producer/views') return { type: movieView, accepted: seedViews };
  if (path.startsWith('/v1/events/')) {
    const name = decodeURIComponent(path.slice('/v1/events/'.length).replace(/\/$/, ''));
    const type = findEventType(name);
    if (!type) throw new HttpError(404, `unknown event type ${JSON.stringify(name)}`);
    return { type, accepted: v1 };
  }
  return undefined;
}

export type Collector = (req: CoreRequest) => Promise<CoreResponse>;

export function createCollector(opts: CollectorOptions): Collector {
  const now = opts.now ?? Date.now;
  const inflight = new Budget(opts.maxInflightEvents);
  return async (req) => {
    try {
      if (req.path === '/healthz') return json(200, { status: 'ok' });
      if (req.path === '/readyz') {
        const ready = await opts.publisher.ready();
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
      }
      const target = route(req.path);
      if (!target) throw new HttpError(404, `no route for ${req.path}`);
      if (req.method !== 'POST') throw new HttpError(405, `use POST for ${req.path}`, {}, { allow: 'POST' });
      if (req.body.byteLength > opts.bodyLimitBytes) {
        throw new HttpError(413, `body exceeds the limit of ${opts.bodyLimitBytes} bytes`, { limit_bytes: opts.bodyLimitBytes });
      }
      // Full already: refuse before spending any work on parsing.
      if (inflight.used >= inflight.capacity) throw overloaded();
      const body = await parseBody(req.header('content-type'), req.body);
      const outcomes = await ingest(body.items, opts.publisher, { type: target.type, form: body.form, now: now(), inflight });
      return respond(outcomes, body.batch, target.accepted);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err);
      throw err;
    }
  };
}
