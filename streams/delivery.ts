// The values every durable consumer's parts pass each other, whatever the destination (ClickHouse, Parquet files, a
// NATS subject, a webhook): what one delivery attempt decided for each message, what a dead letter carries, and the
// counts a consumer keeps.
import type { JsMsg } from '@nats-io/jetstream';

/** What to do after trying to deliver something: the destination's classification of its answer. */
export type Decision =
  | { kind: 'ok' }
  /** It failed for a passing reason (the target is down, busy or overloaded): the same data, later. */
  | { kind: 'retry'; reason: string; code?: number; retryAfterMs?: number }
  /** The target refuses the data itself: it can never be delivered as it is. */
  | { kind: 'dead-letter'; reason: string; code?: number };
export type Retry = Extract<Decision, { kind: 'retry' }>;
export type Refused = Extract<Decision, { kind: 'dead-letter' }>;

export interface DeadLetter {
  msg: JsMsg;
  /** Only this event of the message (line `line` of its NDJSON) is dead; otherwise the whole message. */
  event?: { data: Uint8Array; line: number };
  reason: string;
  code?: number;
  /** When this message was first seen to fail (epoch ms). */
  firstFailure: number;
}

/** Publishes dead letters to stream DLQ; rejects unless the DLQ acknowledged every one. */
export type DeadLetterer = (letters: DeadLetter[]) => Promise<void>;

/** One pass over the messages in hand, as settle() consumes it. */
export interface Attempt {
  /** Delivered: acked. */
  done: JsMsg[];
  /** Never deliverable: dead-lettered — whole messages, or single events of messages whose other events landed. */
  dead: Omit<DeadLetter, 'firstFailure'>[];
  /** Failed for a passing reason: tried again. */
  retry: JsMsg[];
  reason?: string;
  /** The target asked us to wait at least this long (HTTP Retry-After). */
  retryAfterMs?: number;
}

export const noAttempt = (): Attempt => ({ done: [], dead: [], retry: [] });

/** The whole batch's fate from one decision (a destination that delivers all of it or none). */
export function attemptOf(msgs: JsMsg[], decision: Decision): Attempt {
  if (decision.kind === 'ok') return { done: msgs, dead: [], retry: [] };
  if (decision.kind === 'retry')
    return { done: [], dead: [], retry: msgs, reason: decision.reason, retryAfterMs: decision.retryAfterMs };
  return { done: [], dead: msgs.map((msg) => ({ msg, reason: decision.reason, code: decision.code })), retry: [] };
}

/** What a consumer counts (the sink's, the archiver's, each relay's). */
export interface ConsumerStats {
  batches: number;
  acked: number;
  nakked: number;
  deadLettered: number;
  retries: number;
}

export const newConsumerStats = (): ConsumerStats => ({
  batches: 0,
  acked: 0,
  nakked: 0,
  deadLettered: 0,
  retries: 0,
});
