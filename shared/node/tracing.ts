// Starts OpenTelemetry's Node SDK when an OTLP endpoint is configured: spans batched to it over OTLP/HTTP, each
// redacted on its way out (span-redaction.ts). The SDK is loaded only then; otherwise the API's no-op tracer stays
// (see shared/telemetry.ts).
import { markTracingOn } from '../mod.ts';
import { type Config } from '../config/mod.ts';
import { redactingExporter } from './span-redaction.ts';

interface Tracing {
  shutdown(): Promise<void>;
}

/** The service name defaults to `service`; `linkLimit` bounds the links of one span (a sink batch links to each
 *  producer span it carries). */
export async function startTracing(service: string, cfg: Config['telemetry'], linkLimit = 10_000): Promise<Tracing> {
  if (!cfg.tracing) return { shutdown: async () => {} };
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': cfg.serviceName ?? service }),
    spanProcessors: [new BatchSpanProcessor(redactingExporter(new OTLPTraceExporter()))],
    spanLimits: { linkCountLimit: linkLimit },
  });
  provider.register();
  markTracingOn();
  return { shutdown: () => provider.shutdown() };
}
