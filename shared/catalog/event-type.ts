// What one event type is: its client-facing valibot schema plus where it lands (table, time field,
// sort key). Every other artefact — validation, DDL, JSON Schema, subjects — is derived from this.
import * as v from 'valibot';
import { eventId } from './columns.ts';

export type Fields = Record<string, v.GenericSchema>;

export interface EventType {
  /** As the seeds spell it, e.g. `PageVisit`. */
  readonly name: string;
  /** snake_case: lookup key, subject token (`events.<key>`), and by default the table. */
  readonly key: string;
  readonly table: string;
  readonly description: string;
  /** The field holding the event's own time; partitions the table by month. */
  readonly timeField: string;
  /** ClickHouse sort key; ends in event_id so a re-inserted event collapses to one row. */
  readonly orderBy: readonly string[];
  /** The fields a client sends (the pipeline adds event_id and received_at). */
  readonly fields: Fields;
  /** Validates one client event: the fields plus an optional client-given event_id. */
  readonly schema: v.GenericSchema<unknown, Record<string, unknown>>;
  /** Alternative spellings of field names accepted from clients (`userid` → `user_id`). */
  readonly aliases: Readonly<Record<string, string>>;
  /** Tables and views derived from this type's table, as DDL for database `db`. */
  readonly derived: (db: string, dialect: { lowCardinality: boolean }) => string[];
}

export interface EventTypeSpec {
  name: string;
  key?: string;
  table?: string;
  description: string;
  timeField: string;
  orderBy?: string[];
  fields: Fields;
  aliases?: Record<string, string>;
  derived?: EventType['derived'];
}

export const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

export function defineEventType(spec: EventTypeSpec): EventType {
  if (!(spec.timeField in spec.fields)) throw new Error(`${spec.name}: time field ${spec.timeField} is not a field`);
  const key = spec.key ?? snakeCase(spec.name);
  return Object.freeze({
    name: spec.name,
    key,
    table: spec.table ?? key,
    description: spec.description,
    timeField: spec.timeField,
    orderBy: spec.orderBy ?? [spec.timeField, 'event_id'],
    fields: spec.fields,
    schema: v.object({ ...spec.fields, event_id: v.optional(eventId()) }) as EventType['schema'],
    aliases: spec.aliases ?? {},
    derived: spec.derived ?? (() => []),
  });
}
