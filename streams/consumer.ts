// Every durable consumer is this loop: pull a batch (pull-loop.ts) → set apart what is not the destination's (acked)
// → deliver → settle each message by the destination's decision (ack; retry with backoff, kept alive; dead-letter;
// nak when stopping — settle.ts) → count and trace. A destination supplies only what differs: how it delivers a
// batch and classifies the answer (an Attempt), which messages it wants, and whether it buffers messages across
// batches (the archiver's files). The sink, the archiver and every relay run on it; a new destination is one file.
import type { JsMsg } from '@nats-io/jetstream';
import type { SpanKind, StopSignal } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import type { NatsLink } from './connect.ts';
import { EVENTS_STREAM } from './definitions.ts';
import { newConsumerStats, type Attempt, type ConsumerStats, type DeadLetterer } from './delivery.ts';
import { startPullLoop } from './pull-loop.ts';
import { settle } from './settle.ts';

export interface Destination {
  /** One delivery attempt of the messages in hand, its answer classified: done, retry or dead. */
  deliver(msgs: JsMsg[]): Promise<Attempt>;
  /** Whether a message is this destination's (a relay's types); the others are acked and skipped. */
  wants?(msg: JsMsg): boolean;
  /** Called with every fetched batch, before delivery (metrics). */
  fetched?(msgs: JsMsg[]): void;
  /** Holds messages across batches until a group of them is due (the archiver's files); without it, each batch is
   *  delivered as it was fetched. */
  buffer?: MessageBuffer;
}

export interface MessageBuffer {
  /** Takes a message, or settles it itself (one it skips, one it cannot place yet); true once a group is due. */
  add(msg: JsMsg): boolean;
  /** Removes and returns the groups due now — or every group, when `all`. */
  due(all: boolean): JsMsg[][];
  /** Every message held: kept alive while a delivery waits to retry. */
  held(): Iterable<JsMsg>;
  /** How often, between batches, groups are checked for being due. */
  checkEveryMs: number;
}

export interface ConsumerOptions {
  link: NatsLink;
  /** Default: stream EVENTS. */
  stream?: string;
  consumer: string;
  batchSize: number;
  batchWaitMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  ackWaitSeconds: number;
  /** Dead-letter after this many attempts; unlimited when absent. */
  maxAttempts?: number;
  deadLetter: DeadLetterer;
  log: Logger;
  /** Each delivered batch's span, linked to the request span of every message in it. */
  span: { name: string; kind: SpanKind };
  destination: Destination;
  /** Counted into (a process's own stats, extending these); default: fresh. */
  stats?: ConsumerStats;
}

export interface RunningConsumer {
  readonly stats: ConsumerStats;
  /** Stops fetching, finishes the delivery in hand, delivers what a buffer holds once (nakking what fails). */
  stop(): Promise<void>;
}

export function startConsumer(o: ConsumerOptions): RunningConsumer {
  const { destination: d, log } = o;
  const stats = o.stats ?? newConsumerStats();
  const signal = { stopped: false };
  const keepAlive = d.buffer && (() => [...d.buffer!.held()].forEach((m) => m.working()));
  const deliver = (msgs: JsMsg[], s: StopSignal) =>
    settle(msgs, (pending) => d.deliver(pending), { ...o, signal: s, stats, log, keepAlive });

  // One delivery at a time: batches and the buffer's timer both deliver.
  let chain: Promise<void> = Promise.resolve();
  const serial = (work: () => Promise<void>) => (chain = chain.then(work, work));
  const flush = (all: boolean, s: StopSignal) =>
    serial(async () => {
      for (const group of d.buffer!.due(all)) await deliver(group, s);
    });

  const loop = startPullLoop({
    ...o,
    stream: o.stream ?? EVENTS_STREAM,
    handle: async (msgs) => {
      stats.batches++;
      d.fetched?.(msgs);
      let mine = msgs;
      if (d.wants) {
        // One pass: what is not this destination's is acked as it is seen.
        mine = [];
        for (const m of msgs)
          if (d.wants(m)) mine.push(m);
          else m.ack();
      }
      if (!d.buffer) return mine.length > 0 ? deliver(mine, signal) : undefined;
      // A group of the buffer's size at most (plus one message), however big the batch.
      for (const m of mine) if (d.buffer.add(m)) await flush(false, signal);
      await flush(false, signal);
    },
  });
  const timer = d.buffer && setInterval(() => void flush(false, signal), d.buffer.checkEveryMs);
  return {
    stats,
    async stop() {
      signal.stopped = true;
      clearInterval(timer);
      await loop.stop();
      if (d.buffer) await flush(true, { stopped: true });
    },
  };
}
