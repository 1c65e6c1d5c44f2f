// What leaves the process in a trace holds no secret: every span is passed through here on its way to the exporter.
// Attributes whose names carry a secret (a header such as `http.request.header.authorization`, a password, a token)
// are censored, and every other text — attribute values, the status message, event attributes such as an
// exception's message and stack — has its URLs' credentials removed (redactUrl).
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { redactUrl } from '../mod.ts';

const SECRET_NAME = /authorization|cookie|password|passwd|secret|token|x-(?:write|read|api)-key|signature|credential/i;
const CENSORED = '[redacted]';

function value(v: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof v === 'string') return redactUrl(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? redactUrl(x) : x)) as AttributeValue;
  return v;
}

export function redactAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) out[k] = SECRET_NAME.test(k) ? CENSORED : value(v);
  return out;
}

/** The span as the exporter should see it: the same span (its prototype) with redacted attributes, events and
 *  status. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  return Object.create(span, {
    attributes: { value: redactAttributes(span.attributes) },
    status: { value: { ...span.status, message: span.status.message && redactUrl(span.status.message) } },
    events: {
      value: span.events.map((e) => ({
        ...e,
        ...(e.attributes ? { attributes: redactAttributes(e.attributes) } : {}),
      })),
    },
  }) as ReadableSpan;
}

/** `exporter`, given only redacted spans. */
export function redactingExporter(exporter: SpanExporter): SpanExporter {
  return {
    export: (spans, done) => exporter.export(spans.map(redactSpan), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
