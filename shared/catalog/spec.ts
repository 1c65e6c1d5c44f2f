// The catalog file format, as a valibot schema: what a team writes in YAML to declare its event types. Parsing a
// file against it gives every mistake at once, each with its path (types[2].fields.plan.values); load.ts turns
// paths into file, type, field and line. compile.ts builds the event types from the parsed spec. A published catalog
// version (NATS KV) is parsed against the very same schema (from-data.ts). Every name a spec carries that reaches SQL,
// DDL, a subject or a path (key, table, field names, time, order_by, latest's names) is a plain snake_case identifier.
import * as v from 'valibot';
import { ConsentSpec, FieldConsent } from './consent.ts';
import { EnrichSpec } from './enrichment.ts';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const IDENT = /^[a-z_][a-z0-9_]*$/;
const identifier = (what: string) =>
  v.pipe(v.string(), v.regex(IDENT, `expected a ${what} in snake_case (a-z, 0-9, _)`));
const fieldName = identifier('field name');
/** A retention period: days, weeks, months or years. */
const period = v.pipe(v.string(), v.regex(/^[1-9]\d*[dwmy]$/, 'expected a period such as 90d, 12w, 6m or 1y'));

/** What every field may say, whatever its type. */
const common = {
  description: v.optional(v.string()),
  /** May be left out; then its default (or, without one, ClickHouse's empty value) is stored. */
  optional: v.optional(v.boolean()),
  /** May be null. */
  nullable: v.optional(v.boolean()),
  default: v.optional(v.union([v.string(), v.number(), v.boolean(), v.null(), v.array(v.unknown())])),
  /** The consent category the field needs (consent.ts): without it, the event is stored with the field empty. */
  consent: FieldConsent,
  /** Personal data: `npm run catalog -- privacy` and the console's catalog page list it, with why and how long. */
  pii: v.optional(v.boolean()),
  /** How long the hot table keeps the field's value, from the event time (a column TTL; the row stays, with the
   *  field empty): `30d`, `12w`, `6m`, `1y`. */
  retention: v.optional(period),
};
const bounds = { min: v.optional(v.number()), max: v.optional(v.number()) };
const maxLength = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));

/** The scalar types, which may also be the items of an array. */
const scalars = [
  v.strictObject({
    type: v.literal('string'),
    max_length: maxLength,
    min_length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    /** Short, repetitive strings (names, screens): LowCardinality where the server has it. */
    low_cardinality: v.optional(v.boolean()),
    ...common,
  }),
  /** A string, or a number taken as its text (ids SDKs send either way). */
  v.strictObject({ type: v.literal('id'), max_length: maxLength, ...common }),
  v.strictObject({ type: v.literal('int'), ...bounds, ...common }),
  v.strictObject({ type: v.literal('float'), ...bounds, ...common }),
  v.strictObject({ type: v.literal('bool'), ...common }),
  /** ISO 8601 or "YYYY-MM-DD hh:mm:ss", stored in UTC; `zone: required` refuses zone-less times. */
  v.strictObject({ type: v.literal('datetime'), zone: v.optional(v.picklist(['required', 'optional'])), ...common }),
  v.strictObject({ type: v.literal('date'), ...common }),
  v.strictObject({ type: v.literal('uuid'), ...common }),
  v.strictObject({
    type: v.literal('enum'),
    values: v.pipe(v.array(v.string()), v.minLength(1, 'an enum needs at least one value')),
    ...common,
  }),
] as const;
const ScalarSpec = v.variant('type', scalars);

export const FieldSpec = v.variant('type', [
  ...scalars,
  /** A JSON object, kept as JSON text. */
  v.strictObject({ type: v.literal('json'), max_length: maxLength, ...common }),
  v.strictObject({
    type: v.literal('array'),
    items: ScalarSpec,
    max_items: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    ...common,
  }),
]);
export type FieldSpec = v.InferOutput<typeof FieldSpec>;
export type ScalarSpec = v.InferOutput<typeof ScalarSpec>;

export const TypeSpec = v.strictObject({
  /** As clients name it (PageVisit); they may also write its snake_case key. */
  name: v.pipe(v.string(), v.regex(NAME, 'expected a name of letters, digits and _ starting with a letter')),
  /** The subject token (events.<key>); default: the snake_case name. */
  key: v.optional(identifier('key')),
  description: v.pipe(v.string(), v.minLength(1, 'describe the type in a sentence')),
  /** The field holding the event's own time: the table is partitioned by its month. */
  time: fieldName,
  /** Default: the key. */
  table: v.optional(identifier('table name')),
  /** The sort key; event_id is appended (so a re-sent event collapses into one row). Default: [time]. */
  order_by: v.optional(v.pipe(v.array(fieldName), v.minLength(1))),
  /** What happens to fields the type does not declare: refused (400), dropped, or kept as JSON in `extra`. */
  unknown_fields: v.optional(v.picklist(['reject', 'drop', 'keep']), 'reject'),
  /** Other spellings clients use for a field: `userid: user_id`. */
  aliases: v.optional(v.record(v.string(), fieldName)),
  /** `fallback`: events whose name is no type land here; `segment`: Segment calls without a typed schema do. */
  role: v.optional(v.picklist(['fallback', 'segment'])),
  /** How long the hot table keeps a row, from its event time: `90d`, `12w`, `6m` (months), `1y`. The cold tier
   *  (archive/) keeps everything. */
  ttl: v.optional(period),
  /** A table keeping the latest row per key, filled by a materialized view (seed 004's latest_view). */
  latest: v.optional(
    v.strictObject({
      table: identifier('table name'),
      by: v.pipe(v.array(fieldName), v.minLength(1)),
      version: fieldName,
      fields: v.pipe(v.array(fieldName), v.minLength(1)),
    }),
  ),
  /** The consent category the type needs, and what an event that carries no consent information gets
   *  (consent.ts). */
  consent: v.optional(ConsentSpec),
  /** What the collector adds to each row from the request (enrichment.ts): device, bots, geo, the address. */
  enrich: v.optional(EnrichSpec),
  fields: v.pipe(
    v.record(fieldName, FieldSpec),
    v.check((f) => Object.keys(f).length > 0, 'a type needs at least one field'),
  ),
});
export type TypeSpec = v.InferOutput<typeof TypeSpec>;

export const CatalogFile = v.strictObject({
  types: v.pipe(v.array(TypeSpec), v.minLength(1, 'a catalog file declares types')),
});

/** Fields the pipeline adds to every row; a type may not declare them. */
export const RESERVED_FIELDS = [
  'event_id',
  'received_at',
  'catalog_version',
  'inserted_at',
  'extra',
  // An event's consent, beside its fields (consent.ts).
  'consent',
] as const;
