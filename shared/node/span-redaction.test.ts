// Spans leave the process redacted: an attribute named for a secret is censored, credentials in URLs are removed from
// attribute values, the status message and an exception event — and the rest of the span is what the SDK recorded.
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redactingExporter } from './span-redaction.ts';

test('an exported span carries no secret', () => {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(redactingExporter(memory))] });
  const span = provider.getTracer('t').startSpan('request', {
    attributes: {
      'http.request.header.authorization': ['Bearer s3cret-token'],
      'http.request.header.x-write-key': 'write-key-123',
      'url.full': 'http://default:ch-pass@127.0.0.1:8123/?password=pw2&query=1',
      'server.addresses': ['nats://u:nats-pass@a:4222', 'nats://b:4222'],
      'http.route': '/v1/events',
      'messaging.batch.message_count': 3,
    },
  });
  span.recordException(new Error('cannot connect to NATS at nats://u:nats-pass@a:4222'));
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'ClickHouse at http://default:ch-pass@ch:8123 failed' });
  const { traceId, spanId } = span.spanContext();
  span.end();

  const [out] = memory.getFinishedSpans();
  assert.ok(out);
  const text = JSON.stringify({ a: out!.attributes, e: out!.events, s: out!.status });
  for (const secret of ['s3cret-token', 'write-key-123', 'ch-pass', 'pw2', 'nats-pass'])
    assert.not.ok(text.includes(secret), `${secret} in ${text}`);
  assert.equal(out!.attributes['http.request.header.authorization'], '[redacted]');
  assert.is(out!.attributes['url.full'], 'http://***@127.0.0.1:8123/?password=***&query=1');
  assert.equal(out!.attributes['server.addresses'], ['nats://***@a:4222', 'nats://b:4222']);
  assert.is(out!.attributes['http.route'], '/v1/events');
  assert.is(out!.attributes['messaging.batch.message_count'], 3);
  assert.is(out!.events[0]!.attributes!['exception.message'], 'cannot connect to NATS at nats://***@a:4222');
  assert.is(out!.status.message, 'ClickHouse at http://***@ch:8123 failed');
  assert.is(out!.status.code, SpanStatusCode.ERROR);
  // Everything else is the recorded span's own.
  assert.is(out!.name, 'request');
  assert.equal(out!.spanContext(), { ...span.spanContext(), traceId, spanId });
  assert.ok(out!.ended);
});

test.run();
