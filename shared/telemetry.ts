// Tracing through the OpenTelemetry API only (runtime-neutral): tracers, and trace context carried in headers as
// a W3C `traceparent` — across HTTP and across NATS. Until a process starts the SDK (shared/node/tracing.ts), the
// API's no-op tracer runs, at near-zero cost.
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Link, type Span } from '@opentelemetry/api';

export { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';

let on = false;
/** Whether spans are recorded (so callers can skip work that only feeds them). */
export const tracingOn = () => on;
/** Called once by the process that registered a real tracer provider (shared/node/tracing.ts). */
export const markTracingOn = () => void (on = true);

export const tracer = (name: string) => trace.getTracer(name);

/** The context a request (or message) carries in its headers, or the root. */
export function extractContext(get: (name: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, null, {
    get: (_c, key) => get(key),
    keys: () => ['traceparent', 'tracestate'],
  });
}

/** Headers that carry the active span to the next hop (empty while tracing is off). */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Links to the distinct span contexts found in message headers. */
export function linksFrom(getters: Iterable<(name: string) => string | undefined>): Link[] {
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const get of getters) {
    if (!get('traceparent')) continue;
    const sc = trace.getSpanContext(extractContext(get));
    if (!sc || seen.has(sc.spanId)) continue;
    seen.add(sc.spanId);
    links.push({ context: sc });
  }
  return links;
}

export const traceIdOf = (span: Span) => span.spanContext().traceId;
