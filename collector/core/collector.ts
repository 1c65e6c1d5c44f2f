// The collector's routes over plain inputs: the v1 API, the seed routes verbatim, Segment's tracking
// API, health and the OpenAPI document — with CORS, write keys, rate limits, body limits and gzip.
// Adapters (uWS on Node, Deno.serve, Bun.serve) only translate requests and responses.
import {
  EVENTS_ROUTE,
  extractContext,
  routedTypeOf,
  SpanKind,
  SpanStatusCode,
  traceHeaders,
  tracer,
  tracingOn,
  TYPED_EVENTS_ROUTE,
  type Catalog,
  type EventType,
  type Publisher,
  type TrustedProxies,
} from '../../shared/mod.ts';
import { type CollectorObserver, type CoreRequest, type CoreResponse, noObserver, type Source } from './types.ts';
import { Sources } from './auth.ts';
import { parseBody } from './body.ts';
import { rateKeyOf, RequestClient } from './client.ts';
import { corsHeaders, preflight } from './cors.ts';
import { decodeBody } from './decode.ts';
import { errorResponse, HttpError, json, overloaded, RequestFailed, tooLarge } from './http-error.ts';
import { ingest } from './ingest.ts';
import type { Lookups } from './steps/mod.ts';
import { Budget } from './limiter.ts';
import { RateLimiter } from './rate-limit.ts';
import { respond, type Accepted, type Shape } from './respond.ts';
import { SEGMENT_ROUTES, segmentBody, segmentItem, type IngestItem, type SegmentRoute } from './segment.ts';

export interface CollectorOptions {
  publisher: Publisher;
  /** The catalog in force: read once per request, so a new version applies from the next request on. */
  catalog: () => Catalog;
  /** Per request, before and after decompression. */
  bodyLimitBytes: number;
  eventLimitBytes: number;
  /** Events awaiting a PubAck across all requests; past it, 503 at once. */
  maxInflightEvents: number;
  sources?: readonly Source[];
  ipRateLimit?: { rps: number; burst: number };
  /** Whose X-Forwarded-For entries count (client.ts); none when absent: the peer address is the client. */
  trustedProxies?: TrustedProxies;
  corsOrigins?: readonly string[];
  /** Served at GET /openapi.json (for the catalog in force). */
  openapi?: () => string;
  /** Metrics hooks; served at GET /metrics. */
  observer?: CollectorObserver;
  /** The geo database and the address-hash key of the enrichment steps; default: no geo, a key of this process. */
  lookups?: Lookups;
  now?: () => number;
}

type Target = { segment?: SegmentRoute; type?: EventType; shape: Shape };

const TYPED_EVENTS_PREFIX = `${EVENTS_ROUTE}/`;

/** A bounded label for a path (metrics, span names). */
function routeName(path: string): string {
  if (path.startsWith(TYPED_EVENTS_PREFIX)) return TYPED_EVENTS_ROUTE;
  if (
    path === EVENTS_ROUTE ||
    path === '/events' ||
    path === '/events/' ||
    path === '/v1/producer/views' ||
    SEGMENT_ROUTES[path]
  )
    return path;
  return ['/healthz', '/readyz', '/metrics', '/openapi.json'].includes(path) ? path : 'other';
}

/** An accepted event as the v1 and seed routes answer it: `dropped` says why it was not stored. */
const accepted = (o: Accepted) =>
  o.dropped
    ? { status: 'dropped', reason: o.dropped, event_id: o.event_id, type: o.type }
    : { status: 'accepted', event_id: o.event_id, type: o.type };
const v1: Shape = { one: (o) => json(202, accepted(o)) };
const seedEvents: Shape = { one: (o) => json(200, accepted(o)) };
const seedViews: Shape = { one: () => json(201, { message: 'acknowledged', status: 'success' }) };
const segment: Shape = { one: () => json(200, { success: true }), all: () => json(200, { success: true }) };

/** The type a route is for, by name; 404 when the catalog has no such type. */
function typed(catalog: Catalog, name: string): EventType {
  const type = catalog.find(name);
  if (!type) throw new HttpError(404, `unknown event type ${JSON.stringify(name)}`);
  return type;
}

/** The type a `/v1/events/<type>` path names; 400 when its percent-encoding is malformed (`%E0`). */
function typeInPath(path: string): string | undefined {
  try {
    return routedTypeOf(path);
  } catch (err) {
    if (err instanceof URIError) throw new HttpError(400, 'malformed percent-encoding in the path');
    throw err;
  }
}

function route(path: string, catalog: Catalog): Target | undefined {
  if (path === EVENTS_ROUTE) return { shape: v1 };
  if (path === '/events' || path === '/events/') return { shape: seedEvents };
  if (path === '/v1/producer/views') return { type: typed(catalog, 'MovieView'), shape: seedViews };
  const call = SEGMENT_ROUTES[path];
  if (call) return { segment: call, shape: segment };
  const name = typeInPath(path);
  return name === undefined ? undefined : { type: typed(catalog, name), shape: v1 };
}

export type Collector = (req: CoreRequest) => Promise<CoreResponse>;

export function createCollector(opts: CollectorOptions): Collector {
  const now = opts.now ?? Date.now;
  const inflight = new Budget(opts.maxInflightEvents);
  const sources = new Sources(opts.sources ?? []);
  const cors = opts.corsOrigins ?? ['*'];
  const ipLimiter = opts.ipRateLimit?.rps ? new RateLimiter(opts.ipRateLimit.rps, opts.ipRateLimit.burst) : undefined;
  const sourceLimiters = new Map<string, RateLimiter>();
  const tooFast = (retryAfterSeconds: number, limit: string) =>
    new HttpError(429, `rate limit exceeded (${limit})`, { limit }, { 'retry-after': String(retryAfterSeconds) });

  const observer = opts.observer ?? noObserver;
  const lookups = opts.lookups ?? { ipKey: crypto.getRandomValues(new Uint8Array(32)) };
  observer.inflight?.(() => inflight.used);
  const traces = tracer('edge-events-collector');

  const handle = async (req: CoreRequest): Promise<CoreResponse> => {
    if (req.method === 'OPTIONS') return preflight(req.header('origin'), cors);
    if (req.path === '/healthz') return json(200, { status: 'ok' });
    if (req.path === '/metrics') {
      const m = await observer.render();
      return { status: 200, headers: { 'content-type': m.contentType }, body: m.body };
    }
    if (req.path === '/readyz') {
      const ready = await opts.publisher.ready();
      return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (req.path === '/openapi.json' && opts.openapi)
      return { status: 200, headers: { 'content-type': 'application/json' }, body: opts.openapi() };
    const catalog = opts.catalog();
    const target = route(req.path, catalog);
    if (!target) throw new HttpError(404, `no route for ${req.path}`);
    if (req.method !== 'POST') throw new HttpError(405, `use POST for ${req.path}`, {}, { allow: 'POST' });
    const client = new RequestClient(req, opts.trustedProxies);
    if (ipLimiter) {
      const r = ipLimiter.take(rateKeyOf(client.ip));
      if (!r.ok) throw tooFast(r.retryAfterSeconds, 'ip');
    }
    if (req.body.byteLength > opts.bodyLimitBytes) throw tooLarge(opts.bodyLimitBytes);
    // Full already: refuse before spending any work on the body.
    if (inflight.used >= inflight.capacity) throw overloaded();
    // Header keys are checked before the body is read; a Segment body's writeKey after.
    let source = target.segment ? undefined : sources.identify(req);
    const bytes = await decodeBody(req.body, req.header('content-encoding'), opts.bodyLimitBytes);
    // Segment's API is JSON whatever the label (RudderStack's Node SDK sends gzip JSON as form-urlencoded).
    const body = await parseBody(target.segment ? 'application/json' : req.header('content-type'), bytes);
    let items: IngestItem[] = body.items;
    let batch = body.batch;
    if (target.segment) {
      const first = body.items[0]!;
      if (body.batch || !first.ok) throw new HttpError(400, 'expected one JSON object');
      const call = segmentBody(target.segment, first.value);
      source = sources.identify(req, call.writeKey);
      const ctx = { now: now(), sentAt: call.sentAt, source, catalog };
      items = call.messages.map((m) => segmentItem(target.segment!, m, ctx));
      batch = call.batch;
    }
    if (source?.rate_limit) {
      const { rps, burst = Math.max(1, rps) } = source.rate_limit;
      let limiter = sourceLimiters.get(source.name);
      if (!limiter) sourceLimiters.set(source.name, (limiter = new RateLimiter(rps, burst)));
      const r = limiter.take(source.name, items.length);
      if (!r.ok) throw tooFast(r.retryAfterSeconds, 'source');
    }
    const outcomes = await ingest(items, opts.publisher, {
      catalog,
      type: target.type,
      source,
      form: body.form,
      eventLimitBytes: opts.eventLimitBytes,
      now: now(),
      client,
      inflight,
      messageHeaders: traceHeaders(),
      observer,
      lookups,
    });
    return respond(outcomes, batch, target.shape);
  };

  const finish = (req: CoreRequest, route: string, res: CoreResponse, started: number) => {
    Object.assign(res.headers, corsHeaders(req.header('origin'), cors));
    observer.request(route, res.status, (performance.now() - started) / 1000);
    return res;
  };
  const untraced = async (req: CoreRequest): Promise<CoreResponse> => {
    const started = performance.now();
    let res: CoreResponse;
    try {
      res = await handle(req);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      res = errorResponse(err);
    }
    return finish(req, routeName(req.path), res, started);
  };
  const traced = (req: CoreRequest): Promise<CoreResponse> => {
    const started = performance.now();
    const route = routeName(req.path);
    // One span per request, continuing the client's trace when it sent a traceparent.
    const parent = extractContext(req.header);
    return traces.startActiveSpan(
      `${req.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route } },
      parent,
      async (span) => {
        let res: CoreResponse;
        try {
          res = await handle(req);
        } catch (err) {
          if (!(err instanceof HttpError)) {
            // A bug: the adapter logs it with this trace id, so the log line and the span match.
            span.recordException(err as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            throw new RequestFailed(span.spanContext().traceId, err);
          }
          res = errorResponse(err);
        }
        span.setAttribute('http.response.status_code', res.status);
        if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        return finish(req, route, res, started);
      },
    );
  };
  // Tracing is decided once, at start-up: when off, requests pay nothing for it.
  return tracingOn() ? traced : untraced;
}
