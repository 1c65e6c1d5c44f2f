// Prometheus metrics of a sink process (prom-client), served on its status port at GET /metrics: batches, inserts
// (latency, rows), redeliveries, and end-to-end lag from the stream (the collector's received_at plus its publish) to
// the insert. The consumers' own (acks, naks, dead letters, retries, pending) are process/consumer-metrics.ts.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { SinkObserver } from './types.ts';

interface SinkMetrics {
  /** Where the consumers' metrics (process/consumer-metrics.ts) are registered too. */
  registry: Registry;
  observer: SinkObserver;
  render(): Promise<{ contentType: string; body: string }>;
}

export function sinkMetrics(): SinkMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const batchSize = new Histogram({
    name: 'edge_events_sink_batch_size',
    help: 'Messages per fetched batch',
    buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const insertSeconds = new Histogram({
    name: 'edge_events_sink_insert_duration_seconds',
    help: 'ClickHouse INSERT latency',
    labelNames: ['table'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rows = new Counter({
    name: 'edge_events_sink_rows_inserted_total',
    help: 'Rows inserted',
    labelNames: ['table'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'edge_events_end_to_end_lag_seconds',
    help: 'From arrival in stream EVENTS (the collector received it) to its committed insert',
    // Every 0.25 s up to 5 s, where lag under load lives, so a p99 reads to a quarter second (#25); coarse above.
    buckets: [0.1, ...Array.from({ length: 20 }, (_, i) => (i + 1) / 4), 7.5, 10, 30, 60, 300],
    registers: [registry],
  });
  const redeliveries = new Counter({
    name: 'edge_events_sink_redeliveries_total',
    help: 'Messages delivered more than once',
    registers: [registry],
  });
  return {
    registry,
    observer: {
      batch: (size) => batchSize.observe(size),
      inserted(table, n, seconds) {
        insertSeconds.observe({ table }, seconds);
        rows.inc({ table }, n);
      },
      lag: (seconds) => lag.observe(seconds),
      redelivered: (count) => redeliveries.inc(count),
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
