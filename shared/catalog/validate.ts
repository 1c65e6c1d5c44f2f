// Turns one client event into the row that lands in its table, or the list of what is wrong with it. Fields the
// type does not declare are refused, dropped or kept as JSON in `extra`, as the type says. Form bodies carry only
// strings: numbers are coerced by the column type the schema declares.
import * as v from 'valibot';
import { columnType } from './columns.ts';
import type { EventType } from './event-type.ts';
import { isRecord } from '../is-record.ts';

export interface Issue {
  path: string;
  message: string;
}

type Validation = { ok: true; row: Record<string, unknown> } | { ok: false; issues: Issue[] };

const NUMERIC = /^(Int|UInt|Float)/;
const NONE: readonly string[] = [];
const NUMBER_TEXT = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

export function validateEvent(type: EventType, input: unknown, opts: { fromForm?: boolean } = {}): Validation {
  if (!isRecord(input)) return { ok: false, issues: [{ path: '', message: 'expected a JSON object' }] };
  // Copied only when something is changed: the client's object is never written to.
  let event = opts.fromForm ? { ...input } : input;
  for (const alias in type.aliases) {
    const field = type.aliases[alias]!;
    if (event[field] !== undefined || event[alias] === undefined) continue;
    if (event === input) event = { ...event };
    event[field] = event[alias];
  }
  if (opts.fromForm) coerceForm(type, event);
  const parsed = v.safeParse(type.schema, event);
  const unknown = type.unknownFields === 'drop' ? NONE : undeclared(type, event);
  if (parsed.success && (unknown.length === 0 || type.unknownFields === 'keep')) {
    if (type.unknownFields !== 'keep') return { ok: true, row: parsed.output };
    const extra = JSON.stringify(Object.fromEntries(unknown.map((k) => [k, event[k]])));
    return { ok: true, row: { ...parsed.output, extra } };
  }
  const issues = parsed.success
    ? []
    : parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: messageOf(i) }));
  if (type.unknownFields === 'reject') {
    const declared = Object.keys(type.fields).join(', ');
    for (const k of unknown) issues.push({ path: k, message: `${type.name} has no field ${k} (it has ${declared})` });
  }
  return { ok: false, issues };
}

/** Keys of the event that are neither fields of the type, nor its id, its type name (`event`), its consent or an
 *  alias. */
function undeclared(type: EventType, event: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k in event) {
    if (k in type.fields || k === 'event_id' || k === 'event' || k === 'consent' || k in type.aliases) continue;
    out.push(k);
  }
  return out;
}

function messageOf(issue: v.BaseIssue<unknown>): string {
  const missing = issue.kind === 'schema' && issue.type === 'object' && issue.received === 'undefined';
  return missing ? 'required field is missing' : issue.message;
}

function coerceForm(type: EventType, event: Record<string, unknown>): void {
  for (const [field, schema] of Object.entries(type.fields)) {
    const value = event[field];
    if (typeof value !== 'string') continue;
    if (value === '' && schema.type === 'optional') delete event[field];
    else if (NUMERIC.test(columnType(schema) ?? '') && NUMBER_TEXT.test(value.trim())) event[field] = Number(value);
  }
}
