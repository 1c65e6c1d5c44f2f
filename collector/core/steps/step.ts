// What an ingest step is: a named change to a validated event's row before it is published (the event_id, the
// stamps, consent, and the enrichment a type asks for: user agent, bots, geo, the address). A step sees the
// request's context and may refuse the event or drop it, as a value. Steps are listed, in order, in mod.ts; each type
// runs those it wants.
import type { EventType, Granted, Issue } from '../../../shared/mod.ts';
import type { GeoLookup } from '../enrich/geo.ts';
import type { Refusal } from '../types.ts';

/** The row as it will be stored: the validated event, changed in place by each step in turn. */
type Row = Record<string, unknown>;

/** What the steps look things up with, given by the adapter once. */
export interface Lookups {
  /** Whether a person's new events are refused (an erasure request with `suppress`: streams' privacy register). */
  readonly suppressed?: (userId: string) => boolean;
  /** Country (region, city) of a public address; absent: no geo database, the columns stay empty. */
  readonly geo?: GeoLookup;
  /** The key of the daily hash of addresses (`ip: hash`). */
  readonly ipKey: Uint8Array;
}

/** The request an event came in, as the steps see it. Made once per request; `type` is the event's at hand. */
export interface StepContext {
  /** When the request was received, in milliseconds since the epoch. */
  readonly now: number;
  /** The version of the catalog the event was validated against. */
  readonly catalogVersion: number;
  readonly type: EventType;
  /** The event's client address: a Segment call's `context.ip` when it gives one (a server SDK sending for a
   *  browser), else the address the trusted proxy chain saw (../client.ts); undefined when none is known. */
  readonly ip: string | undefined;
  /** The event's user agent: a Segment call's `context.userAgent`, else the request's User-Agent. */
  readonly userAgent: string | undefined;
  /** The consent the event carries (Segment's context.consent.categoryPreferences, or its `consent` object);
   *  undefined when it says nothing. */
  readonly consent: Granted | undefined;
  readonly lookups: Lookups;
}

/** Why a step refuses an event: its outcome, as any other refusal's. */
export interface StepRefusal {
  refusal: Refusal;
  issues: Issue[];
}

/** Why a step drops an event: not stored, answered 2xx (a client must not retry it), counted. */
export type DropReason = 'bot' | 'consent' | 'suppressed';
export interface StepDrop {
  dropped: DropReason;
}

export interface Step {
  /** Unique. */
  readonly name: string;
  /** Whether events of this type run the step; every type's when absent. */
  wanted?(type: EventType): boolean;
  /** Changes the row in place, or refuses or drops the event. Runs for every event: no allocation it can avoid,
   *  never throws on input. */
  apply(row: Row, ctx: StepContext): StepRefusal | StepDrop | undefined;
}
