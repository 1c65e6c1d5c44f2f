// The metrics every process with durable consumers exports (prom-client), the same for the sink's, the archiver's
// and each relay's: acks, naks, dead letters and retry rounds by consumer — mirrors of the runner's counts, advanced
// at scrape time — and each consumer's pending messages, read from JetStream at scrape time (what KEDA and the
// dashboards watch).
import { jetstreamManager } from '@nats-io/jetstream';
import { Counter, Gauge, type Registry } from 'prom-client';
import { EVENTS_STREAM, type ConsumerStats, type NatsLink } from '../streams/mod.ts';

/** `stats` by consumer name; `link` once NATS is reached. */
export function consumerMetrics(
  registry: Registry,
  stats: () => Record<string, ConsumerStats>,
  link: () => NatsLink | undefined,
): void {
  const mirror = (name: string, help: string, read: (s: ConsumerStats) => number) => {
    const last = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames: ['consumer'],
      registers: [registry],
      collect() {
        for (const [consumer, s] of Object.entries(stats())) {
          const now = read(s);
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
  new Gauge({
    name: 'edge_events_consumer_pending',
    help: 'Messages not yet acked by the consumer (pending + awaiting ack)',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      const nats = link();
      if (!nats) return;
      const pending = await consumerPending(nats, Object.keys(stats())).catch(() => ({}));
      for (const [consumer, n] of Object.entries(pending)) this.set({ consumer }, n);
    },
  });
}

/** Unacked messages per consumer (pending + awaiting ack). */
async function consumerPending(link: NatsLink, consumers: string[]): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(link.nc, { timeout: 2000 });
  const out: Record<string, number> = {};
  for (const name of consumers) {
    const info = await jsm.consumers.info(EVENTS_STREAM, name).catch(() => undefined);
    if (info) out[name] = info.num_pending + info.num_ack_pending;
  }
  return out;
}
