// What an ingest step is: a named change to a validated event's row before it is published (the event_id, the
// stamps, and later enrichment: user agent, bots, geo, IP truncation, consent). A step sees the request's context and
// may refuse the event, as a value. Steps are listed, in order, in mod.ts.
import type { EventType, Issue } from '../../../shared/mod.ts';
import type { Refusal } from '../types.ts';

/** The row as it will be stored: the validated event, changed in place by each step in turn. */
type Row = Record<string, unknown>;

/** The request an event came in, as the steps see it. Made once per request; `type` is the event's at hand. */
export interface StepContext {
  /** When the request was received, in milliseconds since the epoch. */
  readonly now: number;
  /** The version of the catalog the event was validated against. */
  readonly catalogVersion: number;
  readonly type: EventType;
  /** The client's address as the trusted proxy chain saw it (../client.ts); undefined when the adapter knows none.
   *  Worked out on first read. */
  readonly ip: string | undefined;
  /** The request headers the steps asked for, by the (lower-case) names they gave, read once per request. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** Why a step refuses an event: its outcome, as any other refusal's. */
export interface StepRefusal {
  refusal: Refusal;
  issues: Issue[];
}

export interface Step {
  /** Unique; how a type will name the steps it wants. */
  readonly name: string;
  /** The request headers the step reads (lower case); only those are read, once per request. */
  readonly headers?: readonly string[];
  /** Changes the row in place, or refuses the event. Runs for every event: no allocation it can avoid, never throws
   *  on input. */
  apply(row: Row, ctx: StepContext): StepRefusal | undefined;
}
