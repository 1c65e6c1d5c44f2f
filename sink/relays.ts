// Runs every configured relay: its own durable consumer on stream EVENTS (the runner, streams/consumer.ts), events
// of other types acked and skipped, the rest delivered at least once — retried, and dead-lettered to
// `dlq.relay.<name>.<type>` after its last attempt. How a relay delivers is its kind's file: relay-nats.ts,
// relay-webhook.ts.
import { relayDeadLetterer, SpanKind, typeKeyOf, type Catalog } from '../shared/mod.ts';
import { ConfigError, signingProblems, typeKeysOf, type ConfigOf, type Relay } from '../shared/config/mod.ts';
import { type Logger } from '../shared/node/mod.ts';
import { createDeadLetterer, relayConsumer, startConsumer, type ConsumerStats, type NatsLink } from '../streams/mod.ts';
import { natsRelay } from './relay-nats.ts';
import { webhookRelay } from './relay-webhook.ts';

export interface RunningRelays {
  /** By relay name. */
  readonly stats: Record<string, ConsumerStats>;
  stop(): Promise<void>;
}

/** A webhook relay whose signing secret is missing or malformed is a configuration error naming RELAYS and the
 *  variable: the sink checks this before it starts anything. */
export function refuseUnsignedRelays(relays: readonly Relay[]): void {
  const problems = signingProblems(relays);
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

export function startRelays(cfg: ConfigOf<'sink'>, link: NatsLink, log: Logger, catalog: Catalog): RunningRelays {
  const running = cfg.relays.map((relay) => {
    const keys = typeKeysOf(relay.types, catalog, `RELAYS (${relay.name})`);
    const wanted = keys ? new Set(keys) : undefined;
    const consumer = startConsumer({
      link,
      consumer: relayConsumer(relay.name),
      ...cfg.sink,
      batchSize: relay.batch_size,
      maxAttempts: relay.max_attempts,
      deadLetter: createDeadLetterer(link, relayDeadLetterer(relay.name), relay.name),
      log: log.child({ relay: relay.name }),
      span: { name: `relay ${relay.name}`, kind: SpanKind.PRODUCER },
      destination: {
        deliver: relay.kind === 'nats' ? natsRelay(relay, link) : webhookRelay(relay),
        wants: wanted && ((m) => wanted.has(typeKeyOf(m.subject))),
      },
    });
    return [relay.name, consumer] as const;
  });
  return {
    stats: Object.fromEntries(running.map(([name, c]) => [name, c.stats])),
    async stop() {
      await Promise.all(running.map(([, c]) => c.stop()));
    },
  };
}
