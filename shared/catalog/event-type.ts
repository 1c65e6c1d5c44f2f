// What one event type is, compiled from its spec (spec.ts, compile.ts): its client-facing valibot schema plus where
// it lands (table, time field, sort key). Every other artefact (validation, DDL, JSON Schema, subjects) is derived
// from this.
import type * as v from 'valibot';
import type { Consent } from './consent.ts';
import type { Enrichment } from './enrichment.ts';
import type { TypeSpec } from './spec.ts';

type Fields = Record<string, v.GenericSchema>;

export interface EventType {
  /** As clients name it, e.g. `PageVisit`. */
  readonly name: string;
  /** snake_case: lookup key, subject token (`events.<key>`), and by default the table. */
  readonly key: string;
  readonly table: string;
  readonly description: string;
  /** The field holding the event's own time; partitions the table by month. */
  readonly timeField: string;
  /** ClickHouse sort key; ends in event_id so a re-inserted event collapses to one row. */
  readonly orderBy: readonly string[];
  /** The fields a client sends (the pipeline adds event_id, received_at and catalog_version). */
  readonly fields: Fields;
  /** What the collector adds from the request (catalog `enrich:`), and the server-set fields it fills: columns of
   *  the table that no client sends. */
  readonly enrich: Enrichment;
  readonly serverFields: Fields;
  /** What consent an event needs to be stored, and which fields need which category; none when nothing does. */
  readonly consent?: Consent;
  /** Validates one client event: the fields plus an optional client-given event_id. */
  readonly schema: v.GenericSchema<unknown, Record<string, unknown>>;
  /** Alternative spellings of field names accepted from clients (`userid` → `user_id`). */
  readonly aliases: Readonly<Record<string, string>>;
  /** Fields the type does not declare: refused, dropped, or kept as JSON in column `extra`. */
  readonly unknownFields: 'reject' | 'drop' | 'keep';
  /** `fallback`: events whose name is no type; `segment`: Segment calls without a typed schema. */
  readonly role?: 'fallback' | 'segment';
  /** How long the hot table keeps a row after its event time (catalog `ttl:`), as a ClickHouse interval. */
  readonly ttl?: string;
  /** How long the hot table keeps a field's value (its catalog `retention:`), as a ClickHouse interval, by field. */
  readonly fieldTtls: Readonly<Record<string, string>>;
  /** A table of the latest row per key, kept by a materialized view. */
  readonly latest?: TypeSpec['latest'];
  /** The spec it was compiled from (what catalog versions compare). */
  readonly spec: TypeSpec;
}
