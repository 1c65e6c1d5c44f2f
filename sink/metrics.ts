// Prometheus metrics of a sink process (prom-client), served on its health port at GET /metrics:
// batches, inserts (latency, rows), acks, naks, dead letters, retries and redeliveries, consumer lag,
// and end-to-end lag from the stream (the collector's received_at plus its publish) to the insert.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SettleStats, SinkObserver, SinkStats } from './types.ts';

export interface SinkMetrics {
  observer: SinkObserver;
  render(): Promise<{ contentType: string; body: string }>;
}

/** `stats` by consumer name (the sink's and each relay's); `pending` reads consumer lag at scrape time. */
export function sinkMetrics(
  stats: () => Record<string, SinkStats | SettleStats>,
  pending: () => Promise<Record<string, number>>,
): SinkMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Counters mirror the stats the sink keeps anyway, advanced at scrape time.
  const mirror = (name: string, help: string, read: (s: SinkStats | SettleStats) => number | undefined) => {
    const last = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames: ['consumer'],
      registers: [registry],
      collect() {
        for (const [consumer, s] of Object.entries(stats())) {
          const now = read(s);
          if (now === undefined) continue;
          this.inc({ consumer }, now - (last.get(consumer) ?? 0));
          last.set(consumer, now);
        }
      },
    });
  };
  mirror('edge_events_sink_acks_total', 'Messages acked after delivery', (s) => s.acked);
  mirror('edge_events_sink_naks_total', 'Messages nakked (redelivered later)', (s) => s.nakked);
  mirror('edge_events_sink_dead_letters_total', 'Messages dead-lettered', (s) => s.deadLettered);
  mirror('edge_events_sink_retries_total', 'Retry rounds of held batches', (s) => s.retries);
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
    buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const redeliveries = new Counter({
    name: 'edge_events_sink_redeliveries_total',
    help: 'Messages delivered more than once',
    registers: [registry],
  });
  new Gauge({
    name: 'edge_events_consumer_pending',
    help: 'Messages not yet acked by the consumer (pending + awaiting ack)',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      for (const [consumer, n] of Object.entries(await pending().catch(() => ({})))) this.set({ consumer }, n);
    },
  });
  return {
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
