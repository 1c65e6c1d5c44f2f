// The seam between the collector core and the stream: publish events, and learn for each whether the stream
// stored it or, as a value, why not. streams/ implements it over JetStream; collector/core only calls it.

export interface OutgoingEvent {
  /** `events.<type>`. */
  subject: string;
  /** The event as one line of JSON. */
  line: string;
  /** The Nats-Msg-Id of a message holding only this event (shared/wire-names.ts): `eventMessageId(event_id)` from a
   *  collector, `replayMessageId(…)` from a replay. */
  id: string;
}

/** Why an event was not stored (each is worth a retry by the client: 503 + Retry-After). */
export type NotStoredReason =
  /** NATS not reached yet, or disconnected now. */
  | 'disconnected'
  /** No PubAck within the publish timeout (the server hangs, or a leader is being elected). */
  | 'timeout'
  /** The stream refused it (full, a limit). */
  | 'refused'
  /** No stream listens on the subject. */
  | 'no-stream'
  /** The connection is closed (the process is stopping). */
  | 'closed';

export interface NotStored {
  reason: NotStoredReason;
  /** For people: what the server said. */
  message: string;
}

export interface Publisher {
  /**
   * Per event, in order: undefined once the stream has stored it (or already had its id), else why not. Never
   * rejects. `headers` (traceparent) travel with every event.
   */
  publish(events: readonly OutgoingEvent[], headers?: Record<string, string>): Promise<(NotStored | undefined)[]>;
  /** Whether events can be accepted now (for /readyz). */
  ready(): Promise<boolean>;
}
