// Tracing with OpenTelemetry: on only when an OTLP endpoint is configured — then spans are batched to
// it over OTLP/HTTP — otherwise the API's no-op tracer runs, at near-zero cost. Trace context crosses
// NATS as a W3C `traceparent` header.
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { Config } from './config.ts';

export { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';

export interface Tracing {
  shutdown(): Promise<void>;
}

let on = false;
/** Whether spans are recorded (so callers can skip work that only feeds them). */
export const tracingOn = () => on;

/** Starts the SDK when tracing is on (loaded only then); the service name defaults to `service`. */
export async function startTracing(service: string, cfg: Config['telemetry'], linkLimit = 10_000): Promise<Tracing> {
  if (!cfg.tracing) return { shutdown: async () => {} };
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': cfg.serviceName ?? service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
    // A sink batch span links to every producer span it carries.
    spanLimits: { linkCountLimit: linkLimit },
  });
  provider.register();
  on = true;
  return { shutdown: () => provider.shutdown() };
}

export const tracer = (name: string) => trace.getTracer(name);

/** The context a request (or message) carries in its headers, or the root. */
export function extractContext(get: (name: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, null, { get: (_c, key) => get(key), keys: () => ['traceparent', 'tracestate'] });
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
