// Runs every configured relay: its own durable consumer on stream EVENTS, events of other types acked
// and skipped, the rest delivered at least once — retried, and dead-lettered to `dlq.relay.<name>.<type>`
// after its last attempt.
import { relayDeadLetterer, SpanKind, typeKeyOf, typeKeysOf, type Catalog, type Config } from '../shared/mod.ts';
import { type Logger } from '../shared/node/mod.ts';
import { EVENTS_STREAM, relayConsumer, startPullLoop, type NatsLink, type PullLoop } from '../streams/mod.ts';
import { createDeadLetterer } from './dead-letter.ts';
import { natsRelay } from './relay-nats.ts';
import { webhookRelay } from './relay-webhook.ts';
import { settle } from './settle.ts';
import type { SettleStats } from './types.ts';

export interface RunningRelays {
  readonly stats: Record<string, SettleStats>;
  stop(): Promise<void>;
}

export function startRelays(cfg: Config, link: NatsLink, log: Logger, catalog: Catalog): RunningRelays {
  const stats: Record<string, SettleStats> = {};
  const loops: PullLoop[] = cfg.relays.map((relay) => {
    const rlog = log.child({ relay: relay.name });
    const s = (stats[relay.name] = { acked: 0, nakked: 0, deadLettered: 0, retries: 0 });
    const deliver = relay.kind === 'nats' ? natsRelay(relay, link) : webhookRelay(relay);
    const deadLetter = createDeadLetterer(link, relayDeadLetterer(relay.name), relay.name);
    const keys = typeKeysOf(relay.types, catalog, `RELAYS (${relay.name})`);
    const wanted = keys ? new Set(keys) : undefined;
    return startPullLoop({
      link,
      stream: EVENTS_STREAM,
      consumer: relayConsumer(relay.name),
      ...cfg.sink,
      batchSize: relay.batch_size,
      log: rlog,
      handle: async (msgs, signal) => {
        const mine = wanted ? msgs.filter((m) => wanted.has(typeKeyOf(m.subject))) : msgs;
        if (mine.length < msgs.length) for (const m of msgs) if (!mine.includes(m)) m.ack();
        if (mine.length === 0) return;
        const span = { name: `relay ${relay.name}`, kind: SpanKind.PRODUCER };
        await settle(mine, deliver, {
          ...cfg.sink,
          maxAttempts: relay.max_attempts,
          signal,
          deadLetter,
          stats: s,
          log: rlog,
          span,
        });
      },
    });
  });
  return {
    stats,
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
