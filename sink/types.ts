// The values the sink's parts pass each other: what one delivery attempt decided for each message, what a dead
// letter carries, the counts a consumer keeps, what the sink reports as it works, and the stop signal.
import type { JsMsg } from '@nats-io/jetstream';

/** What to do after trying to deliver something, for every target (ClickHouse, a NATS subject, a webhook). */
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

/** What settle() counts for a consumer (the sink's, or a relay's). */
export interface SettleStats {
  acked: number;
  nakked: number;
  deadLettered: number;
  retries: number;
}

export interface SinkStats extends SettleStats {
  batches: number;
  inserted: number;
}

export const newSinkStats = (): SinkStats => ({
  batches: 0,
  inserted: 0,
  acked: 0,
  nakked: 0,
  deadLettered: 0,
  retries: 0,
});

/** What the sink reports as it works (metrics); every method is cheap and never throws. */
export interface SinkObserver {
  batch(size: number): void;
  inserted(table: string, rows: number, seconds: number): void;
  /** Seconds from the event's arrival in the stream to its insert. */
  lag(seconds: number): void;
  redelivered(count: number): void;
}

export type { StopSignal } from '../shared/mod.ts';
