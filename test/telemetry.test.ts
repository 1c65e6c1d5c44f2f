// Observability against real processes: with an OTLP/HTTP receiver on loopback, one event's spans
// from the collector and from the sink join up (traceparent through JetStream, batch span links,
// insert spans as children); both processes serve Prometheus metrics that count what happened, and
// the Grafana dashboard queries only metrics they expose.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyStreams,
  postJson,
  processEnv,
  startServices,
  waitFor,
  type Services,
  spawnService,
  type ServiceProcess,
} from './support/mod.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  links?: { traceId: string; spanId: string }[];
  service: string;
}
interface Ctx {
  services: Services;
  receiver: Server;
  spans: OtlpSpan[];
  collector: ServiceProcess;
  sink: ServiceProcess;
  archiver: ServiceProcess;
  env: Record<string, string>;
}
const test = suite<Ctx>('telemetry');

test.before(async (ctx) => {
  ctx.spans = [];
  // A real OTLP/HTTP trace receiver (JSON encoding, as the exporter sends by default).
  ctx.receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const service = rs.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value
          .stringValue;
        for (const ss of rs.scopeSpans) for (const s of ss.spans) ctx.spans.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => ctx.receiver.listen(0, '127.0.0.1', r));
  ctx.services = await startServices('server');
  ctx.env = await processEnv(ctx.services, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(ctx.receiver.address() as { port: number }).port}`,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  await applyStreams(ctx.services.config(ctx.env));
  ctx.sink = await spawnService('sink', ctx.env, ctx.services.dir);
  ctx.collector = await spawnService('collector', ctx.env, ctx.services.dir);
  ctx.archiver = await spawnService('archiver', { ...ctx.env, ARCHIVE_FLUSH_SECONDS: '1' }, ctx.services.dir);
});
test.after(async (ctx) => {
  await ctx.collector?.terminate();
  await ctx.sink?.terminate();
  await ctx.archiver?.terminate();
  ctx.receiver?.close();
  await ctx.services?.cleanup();
});

test(
  "one event's spans join up: client → collector request → " + '(traceparent) → sink batch → insert',
  async (ctx) => {
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    const res = await fetch(`http://127.0.0.1:${ctx.env.PORT}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${clientTrace}-${clientSpan}-01` },
      body: JSON.stringify({ dt: '2024-01-01T00:00:00Z', event: 'traced', user_id: 'u' }),
    });
    assert.is(res.status, 202);
    let request: OtlpSpan | undefined;
    let batch: OtlpSpan | undefined;
    let insert: OtlpSpan | undefined;
    await waitFor(
      'spans from both processes',
      async () => {
        request = ctx.spans.find((s) => s.traceId === clientTrace && s.name === 'POST /v1/events');
        batch =
          request &&
          ctx.spans.find((s) => s.name === 'sink batch' && s.links?.some((l) => l.spanId === request!.spanId));
        insert = batch && ctx.spans.find((s) => s.name === 'clickhouse insert' && s.parentSpanId === batch!.spanId);
        return insert ? true : undefined;
      },
      20_000,
    ).catch(() => undefined);
    assert.ok(request, 'the collector recorded the request span');
    assert.is(request!.parentSpanId, clientSpan, "continuing the client's trace");
    assert.is(request!.service, 'edge-events-collector');
    assert.ok(batch, "the sink's batch span links to the request span");
    assert.is(batch!.links!.find((l) => l.spanId === request!.spanId)!.traceId, clientTrace);
    assert.is(batch!.service, 'edge-events-sink');
    assert.ok(insert, 'the insert is a child of the batch span');
  },
);

test('Prometheus metrics on both processes count what happened', async (ctx) => {
  assert.is((await postJson(`http://127.0.0.1:${ctx.env.PORT}/v1/events`, { event: 'bad' })).status, 400);
  const collector = await (await fetch(`http://127.0.0.1:${ctx.env.PORT}/metrics`)).text();
  assert.match(collector, /edge_events_http_requests_total\{route="\/v1\/events",status="202"\} 1/);
  assert.match(collector, /edge_events_http_requests_total\{route="\/v1\/events",status="400"\} 1/);
  assert.match(collector, /edge_events_events_total\{type="generic",outcome="accepted"\} 1/);
  assert.match(collector, /edge_events_events_total\{type="generic",outcome="invalid"\} 1/);
  assert.match(collector, /edge_events_publish_duration_seconds_count\{ok="true"\} 1/);
  assert.match(collector, /edge_events_inflight_events 0/);
  assert.match(collector, /process_resident_memory_bytes/);
  let sink = '';
  await waitFor('the sink to count the insert', async () => {
    sink = await (await fetch(`http://127.0.0.1:${ctx.env.SINK_PORT}/metrics`)).text();
    return /edge_events_sink_acks_total\{consumer="sink"\} 1/.test(sink) ? true : undefined;
  }).catch(() => undefined);
  assert.match(sink, /edge_events_sink_acks_total\{consumer="sink"\} 1/);
  assert.match(sink, /edge_events_sink_rows_inserted_total\{table="events"\} 1/);
  assert.match(sink, /edge_events_sink_insert_duration_seconds_count\{table="events"\} 1/);
  assert.match(sink, /edge_events_end_to_end_lag_seconds_count 1/);
  assert.match(sink, /edge_events_sink_batch_size_count 1/);
  assert.match(sink, /edge_events_consumer_pending\{consumer="sink"\} 0/);
  assert.match(sink, /edge_events_sink_dead_letters_total\{consumer="sink"\} 0/);

  let archiver = '';
  await waitFor('the archiver to store a file', async () => {
    archiver = await (await fetch(`http://127.0.0.1:${ctx.env.ARCHIVE_PORT}/metrics`)).text();
    return /edge_events_archive_files_total [1-9]/.test(archiver) ? true : undefined;
  }).catch(() => undefined);
  assert.match(archiver, /edge_events_archive_events_total 1\n/);
  assert.match(archiver, /edge_events_archive_held_messages 0\n/);
  assert.match(archiver, /edge_events_archive_store_errors_total 0\n/);

  // The Grafana dashboard queries only metrics these processes expose.
  const dashboard = JSON.parse(readFileSync('deploy/grafana/edge-events.json', 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) =>
    p.targets.map((t) => t.expr),
  );
  const queried = new Set(
    exprs
      .flatMap((e) => e.match(/\b(edge_events_\w+|process_\w+)/g) ?? [])
      .map((m) => m.replace(/_(bucket|count|sum)$/, '')),
  );
  assert.ok(queried.size >= 12, `the dashboard covers the pipeline (${queried.size} metrics)`);
  for (const name of queried)
    assert.ok(
      [collector, sink, archiver].some((m) => m.includes(`# TYPE ${name} `)),
      `${name} is exposed`,
    );
});

test.run();
