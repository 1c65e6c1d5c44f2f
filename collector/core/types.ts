// The runtime seam of the collector: what an adapter hands the core and gets back, and what the core reports as
// it works. The one capability it needs from outside — publishing to the stream — is shared/publish.ts.

/** A sender the collector knows by its write key: which event types it may send, how fast (events per second).
 *  The configuration's sources (COLLECTOR_WRITE_KEYS) have this shape. */
export interface Source {
  name: string;
  key: string;
  /** Event types (names or keys) it may send; any when absent. */
  types?: readonly string[];
  rate_limit?: { rps: number; burst?: number };
}

export interface CoreRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Case-insensitive header lookup. */
  header(name: string): string | undefined;
  body: Uint8Array;
  /** The peer's address, for per-IP rate limits and the ingest steps (client.ts). */
  ip?: string;
}

export interface CoreResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type EventOutcome =
  | 'accepted'
  | 'invalid'
  | 'too_large'
  | 'forbidden'
  | 'unavailable'
  | 'overloaded'
  /** Answered as accepted, not stored: a bot a type drops, an event without the consent its type needs, an event of
   *  a person who asked not to be followed. */
  | 'dropped_bot'
  | 'dropped_consent'
  | 'dropped_suppressed';

/** Why an event was refused for good: invalid, over the per-event limit, or a type its source may not send. */
export type Refusal = 'invalid' | 'too_large' | 'forbidden';

/** What the collector reports as it works (metrics); every method is cheap and never throws. */
export interface CollectorObserver {
  request(route: string, status: number, seconds: number): void;
  events(type: string, outcome: EventOutcome, count: number): void;
  published(seconds: number, ok: boolean): void;
  /** Given once: how to read the events awaiting a PubAck right now. */
  inflight?(read: () => number): void;
  /** Prometheus text for GET /metrics, with its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export const noObserver: CollectorObserver = {
  request() {},
  events() {},
  published() {},
  render: async () => ({ contentType: 'text/plain', body: '' }),
};
