// Catalog specs → event types: each field's spec becomes a valibot schema carrying its ClickHouse column type (the
// builders of columns.ts), so validation, DDL, JSON Schema, OpenAPI and SDK types all derive from the data. What
// the file format cannot say alone — the time field exists and is a time, order_by names fields, names are unique
// across the catalog — is checked here, each problem with the path of the spec it is about.
import * as v from 'valibot';
import {
  arrayOf,
  bool,
  date,
  eventId,
  eventTime,
  float,
  idText,
  int,
  intIn,
  label,
  oneOf,
  text,
  uuid,
} from './columns.ts';
import type { Consent } from './consent.ts';
import { enrichmentFieldsOf, enrichmentOf } from './enrichment.ts';
import type { EventType } from './event-type.ts';
import { RESERVED_FIELDS, type FieldSpec, type ScalarSpec, type TypeSpec } from './spec.ts';

/** A problem with a spec: where it is (a path into the files' data) and what is wrong. */
export interface SpecIssue {
  /** Index of the type in its file, then the keys below it: [2, 'fields', 'plan', 'values']. */
  path: (string | number)[];
  message: string;
}

const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

const INT32 = 2 ** 31;

function scalar(spec: ScalarSpec): v.GenericSchema {
  switch (spec.type) {
    case 'string': {
      const max = spec.max_length ?? (spec.low_cardinality ? 256 : 1024);
      const base = spec.low_cardinality ? label(max) : text(max);
      if (!spec.min_length) return base;
      const least =
        spec.min_length === 1 ? 'expected a non-empty string' : `expected at least ${spec.min_length} characters`;
      return v.pipe(base, v.minLength(spec.min_length, least));
    }
    case 'id':
      return idText(spec.max_length ?? 256);
    case 'int': {
      const { min, max } = spec;
      if (min !== undefined && max !== undefined && min >= -INT32 && max < INT32) return intIn(min, max);
      const base = int();
      if (min !== undefined && max !== undefined) return v.pipe(base, v.minValue(min), v.maxValue(max));
      if (min !== undefined) return v.pipe(base, v.minValue(min));
      return max !== undefined ? v.pipe(base, v.maxValue(max)) : base;
    }
    case 'float': {
      const { min, max } = spec;
      const base = float();
      if (min !== undefined && max !== undefined) return v.pipe(base, v.minValue(min), v.maxValue(max));
      if (min !== undefined) return v.pipe(base, v.minValue(min));
      return max !== undefined ? v.pipe(base, v.maxValue(max)) : base;
    }
    case 'bool':
      return bool();
    case 'datetime':
      return eventTime(spec.zone ?? 'optional');
    case 'date':
      return date();
    case 'uuid':
      return uuid();
    case 'enum':
      return oneOf(spec.values as [string, ...string[]]);
  }
}

/** A JSON object, kept as its JSON text in a String column. */
const jsonText = (maxLength: number) =>
  v.pipe(
    v.custom<Record<string, unknown>>(
      (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
      'expected a JSON object',
    ),
    v.metadata<Record<string, unknown>, Record<string, unknown>>({ type: 'object', 'x-clickhouse': 'String' }),
    v.transform((o) => JSON.stringify(o)),
    v.check((s) => s.length <= maxLength, `expected at most ${maxLength} characters of JSON`),
  );

/** The valibot schema of one field, with its optionality, nullability, default and description. */
function fieldSchema(spec: FieldSpec): v.GenericSchema {
  let schema =
    spec.type === 'json'
      ? jsonText(spec.max_length ?? 32 * 1024)
      : spec.type === 'array'
        ? arrayOf(scalar(spec.items), spec.max_items)
        : scalar(spec);
  if (spec.description) schema = v.pipe(schema, v.description(spec.description));
  if (spec.nullable) schema = v.nullable(schema);
  if (spec.optional || spec.default !== undefined) {
    const fallback = spec.default !== undefined ? spec.default : spec.nullable ? null : undefined;
    schema = fallback === undefined ? v.optional(schema) : v.optional(schema, fallback);
  }
  return schema;
}

/** Builds one type; issues of the type alone are pushed (paths relative to the type). */
export function compileType(spec: TypeSpec, issues: SpecIssue[] = []): EventType | undefined {
  const before = issues.length;
  const problem = (path: (string | number)[], message: string) => issues.push({ path, message });
  const names = Object.keys(spec.fields);
  // Own fields only: `toString` or `constructor` is no field of a type that does not declare it.
  const isField = (f: string) => Object.hasOwn(spec.fields, f);
  for (const reserved of RESERVED_FIELDS) {
    if (isField(reserved)) problem(['fields', reserved], `${reserved} is added by the pipeline; do not declare it`);
  }
  const enrich = enrichmentOf(spec.enrich);
  const serverFields = enrichmentFieldsOf(enrich);
  for (const name of Object.keys(serverFields)) {
    if (isField(name)) problem(['fields', name], `${name} is filled by the type's enrich: do not declare it`);
  }
  const time = isField(spec.time) ? spec.fields[spec.time] : undefined;
  if (!time)
    problem(['time'], `time field ${JSON.stringify(spec.time)} is not one of the fields (${names.join(', ')})`);
  else if (time.type !== 'datetime' && time.type !== 'date')
    problem(['time'], `time field ${spec.time} must be a datetime or a date`);
  else if (time.optional || time.nullable)
    problem(['fields', spec.time], 'the time field may not be optional or nullable');
  const orderBy = (spec.order_by ?? [spec.time]).filter((f, i, all) => !(f === 'event_id' && i === all.length - 1));
  orderBy.forEach((f, i) => {
    if (!isField(f)) problem(['order_by', i], `order_by names ${JSON.stringify(f)}, which is not a field`);
    else if (spec.fields[f]!.nullable) problem(['order_by', i], `order_by may not hold the nullable field ${f}`);
  });
  for (const [alias, field] of Object.entries(spec.aliases ?? {})) {
    if (!isField(field))
      problem(['aliases', alias], `alias ${alias} points to ${JSON.stringify(field)}, which is not a field`);
  }
  const fields: Record<string, v.GenericSchema> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.type === 'array' && field.nullable)
      problem(['fields', name, 'nullable'], 'an array cannot be nullable (ClickHouse has no Nullable(Array))');
    if (field.type === 'int' || field.type === 'float') {
      if (field.min !== undefined && field.max !== undefined && field.min > field.max)
        problem(['fields', name, 'max'], 'max is below min');
    }
    try {
      fields[name] = fieldSchema(field);
    } catch (err) {
      problem(['fields', name], (err as Error).message);
      continue;
    }
    if (field.default !== undefined && field.default !== null) {
      const parsed = v.safeParse(fields[name]!, field.default);
      if (!parsed.success)
        problem(['fields', name, 'default'], `the default does not fit the field: ${parsed.issues[0].message}`);
    }
  }
  const consent = consentOf(spec, fields, problem);
  const fieldTtls: Record<string, string> = {};
  const keyed = new Set([spec.time, ...orderBy]);
  for (const [name, field] of Object.entries(spec.fields)) {
    if (!field.retention) continue;
    if (keyed.has(name))
      problem(['fields', name, 'retention'], 'the time field and the sort key are kept with the row');
    else fieldTtls[name] = ttlInterval(field.retention);
  }
  if (spec.latest) {
    for (const [i, f] of [...spec.latest.by, spec.latest.version, ...spec.latest.fields].entries()) {
      if (!isField(f)) problem(['latest'], `latest names ${JSON.stringify(f)} (#${i + 1}), which is not a field`);
    }
  }
  if (issues.length > before) return undefined;
  const key = spec.key ?? snakeCase(spec.name);
  return Object.freeze({
    name: spec.name,
    key,
    table: spec.table ?? key,
    description: spec.description,
    timeField: spec.time,
    orderBy: [...orderBy, 'event_id'],
    fields,
    enrich,
    serverFields,
    consent,
    schema: v.object({ ...fields, event_id: v.optional(eventId()) }) as EventType['schema'],
    aliases: spec.aliases ?? {},
    unknownFields: spec.unknown_fields,
    role: spec.role,
    latest: spec.latest,
    ttl: spec.ttl && ttlInterval(spec.ttl),
    fieldTtls,
    spec,
  });
}

/** `90d` → `INTERVAL 90 DAY` (the spec's pattern allows d, w, m and y). */
function ttlInterval(ttl: string): string {
  const unit = { d: 'DAY', w: 'WEEK', m: 'MONTH', y: 'YEAR' }[ttl.slice(-1) as 'd' | 'w' | 'm' | 'y'];
  return `INTERVAL ${ttl.slice(0, -1)} ${unit}`;
}

/** What a field holds when its consent is not given: its default, null, or its type's empty value. */
function emptyOf(spec: FieldSpec, schema: v.GenericSchema): { value: unknown } | undefined {
  if (spec.default !== undefined) {
    const parsed = v.safeParse(schema, spec.default);
    return parsed.success ? { value: parsed.output } : undefined;
  }
  if (spec.nullable) return { value: null };
  switch (spec.type) {
    case 'string':
    case 'id':
    case 'enum':
      return spec.type === 'enum' || (spec.type === 'string' && spec.min_length) ? undefined : { value: '' };
    case 'json':
      return { value: '{}' };
    case 'int':
    case 'float':
    case 'bool':
      return { value: 0 };
    case 'array':
      return { value: [] };
    default:
      return undefined;
  }
}

/** A type's consent rules, each field's checked: not the time field or the sort key, and with a value to store
 *  without it. */
function consentOf(
  spec: TypeSpec,
  fields: Record<string, v.GenericSchema>,
  problem: (path: (string | number)[], message: string) => void,
): Consent | undefined {
  const keyed = new Set([spec.time, ...(spec.order_by ?? [])]);
  const out: { name: string; category: string; empty: unknown }[] = [];
  for (const [name, field] of Object.entries(spec.fields)) {
    if (!field.consent || !fields[name]) continue;
    if (keyed.has(name)) {
      problem(['fields', name, 'consent'], 'the time field and the sort key cannot depend on consent');
      continue;
    }
    const empty = emptyOf(field, fields[name]);
    if (!empty) {
      problem(
        ['fields', name, 'consent'],
        'stored empty without consent: give the field a default or make it nullable',
      );
      continue;
    }
    out.push({ name, category: field.consent, empty: empty.value });
  }
  if (!spec.consent?.category && out.length === 0) return undefined;
  return Object.freeze({ category: spec.consent?.category, default: spec.consent?.default ?? 'granted', fields: out });
}
