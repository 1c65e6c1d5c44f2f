// The sink's pull loop: fetch a batch from the durable consumer, insert each table's rows, ack a
// message only after its rows are committed; on failure nak with a growing delay and pause fetching.
import { jetstream, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { ClickHouse, Config, Logger } from '../shared/mod.ts';
import { EVENTS_STREAM, SINK_CONSUMER, type NatsLink } from '../streams/mod.ts';
import { groupByTable } from './batcher.ts';
import { insertRows } from './clickhouse.ts';
import { insertBody } from './insert.ts';
import { retryDelayMs } from './retry.ts';

export interface SinkStats {
  batches: number;
  inserted: number;
  acked: number;
  nakked: number;
  failures: number;
}

export interface SinkLoop {
  readonly stats: Readonly<SinkStats>;
  /** Stop fetching, finish the batch in hand (insert, ack or nak), then resolve. */
  stop(): Promise<void>;
}

const sleep = (ms: number, signal: { stopped: boolean }) =>
  new Promise<void>((resolve) => {
    const end = Date.now() + ms;
    const tick = () => (signal.stopped || Date.now() >= end ? resolve() : setTimeout(tick, Math.min(100, end - Date.now())));
    tick();
  });

export function startSinkLoop(link: NatsLink, ch: ClickHouse, cfg: Config['sink'], log: Logger): SinkLoop {
  const stats: SinkStats = { batches: 0, inserted: 0, acked: 0, nakked: 0, failures: 0 };
  const state = { stopped: false };
  let fetching: ConsumerMessages | undefined;
  let consumer: Consumer | undefined;

  const fetchBatch = async (): Promise<JsMsg[]> => {
    consumer ??= await jetstream(link.nc).consumers.get(EVENTS_STREAM, SINK_CONSUMER);
    fetching = await consumer.fetch({ max_messages: cfg.batchSize, expires: cfg.batchWaitMs });
    const msgs: JsMsg[] = [];
    for await (const m of fetching) msgs.push(m);
    fetching = undefined;
    return msgs;
  };

  /** Inserts and acks what it can; returns the retry delay if anything failed. */
  const deliver = async (msgs: JsMsg[]): Promise<number> => {
    const { batches, unknown } = groupByTable(msgs);
    let pause = 0;
    for (const { type, msgs: group } of batches) {
      try {
        await insertRows(ch, type.table, insertBody(group));
        for (const m of group) m.ack();
        stats.inserted += group.length;
        stats.acked += group.length;
      } catch (err) {
        const deliveries = Math.max(...group.map((m) => m.info.deliveryCount));
        const delay = retryDelayMs(deliveries, cfg.retryBaseMs, cfg.retryMaxMs);
        for (const m of group) m.nak(delay);
        stats.nakked += group.length;
        stats.failures++;
        pause = Math.max(pause, delay);
        log.warn({ err: (err as Error).message, table: type.table, rows: group.length, deliveries, retryInMs: delay }, 'insert failed; nakked');
      }
    }
    for (const m of unknown) {
      m.nak(cfg.retryMaxMs);
      stats.nakked++;
      log.error({ subject: m.subject, seq: m.seq }, 'event type unknown to this sink; nakked');
    }
    return pause;
  };

  const done = (async () => {
    let idleFailures = 0;
    while (!state.stopped) {
      let msgs: JsMsg[];
      try {
        msgs = await fetchBatch();
        idleFailures = 0;
      } catch (err) {
        fetching = undefined;
        const delay = retryDelayMs(++idleFailures, cfg.retryBaseMs, cfg.retryMaxMs);
        log.warn({ err: (err as Error).message, retryInMs: delay }, 'fetch failed');
        await sleep(delay, state);
        continue;
      }
      if (msgs.length === 0) continue;
      stats.batches++;
      const pause = await deliver(msgs);
      if (pause > 0) await sleep(pause, state);
    }
  })();

  return {
    stats,
    async stop() {
      state.stopped = true;
      fetching?.stop();
      await done;
    },
  };
}
