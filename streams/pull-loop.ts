// The fetching half of the consumer runner (consumer.ts): fetch up to N messages of a durable pull consumer (waiting
// at most W), hand them to `handle`, repeat. Fetch failures back off. stop() lets the fetch in progress run out (at
// most W) and waits for the batch in hand: a fetch cut short leaves the server's pull request open, and what it sends
// after the cut would be ours, unseen, until ack_wait.
import { jetstream, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { pause, retryDelayMs, type StopSignal } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import type { NatsLink } from './connect.ts';

interface PullLoopOptions {
  link: NatsLink;
  stream: string;
  consumer: string;
  batchSize: number;
  batchWaitMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  log: Logger;
  /** Must settle every message (ack, nak or term) before resolving, unless stopping. */
  handle(msgs: JsMsg[], signal: StopSignal): Promise<void>;
}

interface PullLoop {
  stop(): Promise<void>;
}

export function startPullLoop(opts: PullLoopOptions): PullLoop {
  const signal = { stopped: false };
  let fetching: ConsumerMessages | undefined;
  let consumer: Consumer | undefined;

  const fetchBatch = async (): Promise<JsMsg[]> => {
    consumer ??= await jetstream(opts.link.nc).consumers.get(opts.stream, opts.consumer);
    fetching = await consumer.fetch({ max_messages: opts.batchSize, expires: opts.batchWaitMs });
    const msgs: JsMsg[] = [];
    try {
      for await (const m of fetching) msgs.push(m);
    } catch (err) {
      // Cut short after some messages arrived (heartbeats missed while NATS or this machine stalled):
      // they are delivered to us and would wait out ack_wait before redelivery. Handle them now.
      if (msgs.length === 0) throw err;
      opts.log.warn(
        { err: (err as Error).message, consumer: opts.consumer, received: msgs.length },
        'fetch cut short; handling what arrived',
      );
    } finally {
      fetching = undefined;
    }
    return msgs;
  };

  const done = (async () => {
    let failures = 0;
    while (!signal.stopped) {
      let msgs: JsMsg[];
      try {
        msgs = await fetchBatch();
        failures = 0;
      } catch (err) {
        fetching = undefined;
        consumer = undefined;
        const delay = retryDelayMs(++failures, opts.retryBaseMs, opts.retryMaxMs);
        opts.log.warn({ err: (err as Error).message, consumer: opts.consumer, retryInMs: delay }, 'fetch failed');
        await pause(delay, signal);
        continue;
      }
      if (msgs.length > 0) await opts.handle(msgs, signal);
    }
  })();

  return {
    async stop() {
      signal.stopped = true;
      // A fetch the server no longer answers (NATS gone) is cut once its expiry has passed with room to spare.
      const cut = setTimeout(() => fetching?.stop(), opts.batchWaitMs + 2000);
      await done;
      clearTimeout(cut);
    },
  };
}
