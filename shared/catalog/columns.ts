// Field builders: valibot schemas that carry their ClickHouse column type as `x-clickhouse` metadata,
// so validation, DDL, JSON Schema and form coercion all read one definition.
import * as v from 'valibot';
import { formatUtc, parseEventTime, utcTextOf, type ZoneRule } from './event-time.ts';

const CH = 'x-clickhouse';
const column = <T>(type: string) => v.metadata<T, Record<string, string>>({ [CH]: type });

export const int = () => v.pipe(v.number(), v.safeInteger(), column<number>('Int64'));
export const intIn = (min: number, max: number) =>
  v.pipe(
    v.number(),
    v.integer(),
    v.minValue(min),
    v.maxValue(max),
    column<number>(max <= 255 && min >= 0 ? 'UInt8' : 'Int32'),
  );
export const float = () => v.pipe(v.number(), v.finite(), column<number>('Float64'));
export const text = (maxLength = 1024) => v.pipe(v.string(), v.maxLength(maxLength), column<string>('String'));
/** Short, repetitive strings (event names, screens): LowCardinality where the server has it. */
export const label = (maxLength = 256) =>
  v.pipe(v.string(), v.maxLength(maxLength), column<string>('LowCardinality(String)'));
export const uuid = () => v.pipe(v.string(), v.uuid(), v.toLowerCase(), column<string>('UUID'));
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  v.pipe(v.picklist(values), column<T[number]>('LowCardinality(String)'));
/** An identifier the client may send as a string or a number; stored as text. */
export const idText = (maxLength = 256) =>
  v.pipe(
    v.union([
      v.pipe(v.string(), v.minLength(1), v.maxLength(maxLength)),
      v.pipe(v.number(), v.safeInteger(), v.toString()),
    ]),
    column('String'),
  );
/** An event time: normalised to UTC "YYYY-MM-DD hh:mm:ss" for a DateTime('UTC') column. */
export const eventTime = (zone: ZoneRule) =>
  v.pipe(
    v.string(),
    column<string>("DateTime('UTC')"),
    v.metadata<string, Record<string, string>>(zone === 'required' ? { format: 'date-time' } : {}),
    v.description(
      zone === 'required'
        ? 'ISO 8601 date-time with a zone, e.g. 2020-01-01T14:16:34Z; stored in UTC.'
        : 'ISO 8601 date-time (zone-less times are UTC), or "YYYY-MM-DD hh:mm:ss"; stored in UTC.',
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const utc = utcTextOf(dataset.value, zone);
      if (utc !== undefined) return utc;
      const ms = parseEventTime(dataset.value, zone);
      if (typeof ms === 'string') {
        addIssue({ message: `${ms}, got ${JSON.stringify(dataset.value)}` });
        return NEVER;
      }
      return formatUtc(ms);
    }),
  );

/** A calendar date, "YYYY-MM-DD", for a Date column. */
export const date = () =>
  v.pipe(
    v.string(),
    v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2024-06-01'),
    v.check((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '1970-01-01' && s <= '2149-06-06';
    }, 'not a real calendar date (1970-01-01 … 2149-06-06)'),
    v.metadata<string, Record<string, string>>({ format: 'date' }),
    column<string>('Date'),
  );
/** true or false, stored as 1 or 0 (UInt8 reads the same on every server version). */
export const bool = () =>
  v.pipe(
    v.boolean(),
    column<boolean>('UInt8'),
    v.transform((b) => (b ? 1 : 0)),
  );
/** An array of one scalar type, for an Array(…) column. */
export const arrayOf = (item: v.GenericSchema, maxItems?: number) => {
  const inner = columnType(item);
  if (!inner) throw new Error('array items declare no ClickHouse column type');
  const array = v.array(item);
  return maxItems === undefined
    ? v.pipe(array, column<unknown[]>(`Array(${inner})`))
    : v.pipe(array, v.maxLength(maxItems), column<unknown[]>(`Array(${inner})`));
};

/** The event id: client-given (idempotent retries) or assigned at the collector. */
export const eventId = () =>
  v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(128),
    v.regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'),
    column<string>('String'),
  );

/** The ClickHouse type a schema declares (unwrapping optional/nullable), or undefined. */
export function columnType(schema: v.GenericSchema): string | undefined {
  const inner = unwrap(schema);
  const meta = v.getMetadata(inner as Parameters<typeof v.getMetadata>[0]) as Record<string, unknown>;
  const type = meta[CH];
  return typeof type === 'string' ? type : undefined;
}

export function isNullable(schema: v.GenericSchema): boolean {
  for (let s: WrappedSchema | undefined = schema; s; s = s.wrapped) {
    if (s.type === 'nullable' || s.type === 'nullish') return true;
  }
  return false;
}

type WrappedSchema = v.GenericSchema & { wrapped?: WrappedSchema };

function unwrap(schema: WrappedSchema): v.GenericSchema {
  let s = schema;
  while (s.wrapped) s = s.wrapped;
  return s;
}
