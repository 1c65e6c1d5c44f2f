// The values the sink's parts pass each other besides the consumer's (streams/delivery.ts): what the sink counts and
// what it reports as it works.
import type { ConsumerStats } from '../streams/mod.ts';

export interface SinkStats extends ConsumerStats {
  inserted: number;
  /** Events of erased persons left out (forget.ts). */
  forgotten: number;
}

export const newSinkStats = (): SinkStats => ({
  batches: 0,
  inserted: 0,
  forgotten: 0,
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
