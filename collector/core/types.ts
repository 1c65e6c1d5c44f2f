// The runtime seam of the collector: what an adapter hands the core and gets back, and the one
// capability the core needs from outside — publishing to the stream.

export interface CoreRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Case-insensitive header lookup. */
  header(name: string): string | undefined;
  body: Uint8Array;
  /** The peer's address, for per-IP rate limits. */
  ip?: string;
}

export interface CoreResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Publisher {
  /**
   * Per event, in order: undefined once the stream has stored it, else the error that kept it out (→ 503).
   * Never rejects. `line` is the event as one line of JSON. `headers` (traceparent) travel with every event.
   */
  publish(events: readonly { subject: string; line: string; id: string }[], headers?: Record<string, string>): Promise<(Error | undefined)[]>;
  /** Whether events can be accepted now (for /readyz). */
  ready(): Promise<boolean>;
}

export type EventOutcome = 'accepted' | 'invalid' | 'too_large' | 'forbidden' | 'unavailable' | 'overloaded';

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
