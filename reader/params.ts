// The query parameters of the reading API as valibot schemas: a bad one is a 400 naming it, and only values that
// passed here ever reach a query — as typed query parameters, never spliced into SQL. The events' parameters are
// here; each report's are in its own file (reports/), built on the date range (reports/range.ts).
import * as v from 'valibot';
import { invalidParameters, type Issue } from './errors/mod.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A UTC date, YYYY-MM-DD, that exists. */
export const date = v.pipe(
  v.string(),
  v.regex(DATE, 'expected a date such as 2024-06-01'),
  v.check(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real date',
  ),
);

/** A position in a newest-first listing: the time and event_id of the last row of the previous page. */
interface Cursor {
  t: string;
  id: string;
}
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.t, c.id])).toString('base64url');
const cursor = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      const [t, id] = JSON.parse(Buffer.from(dataset.value, 'base64url').toString('utf8')) as unknown[];
      if (typeof t === 'string' && typeof id === 'string' && /^[\d :-]{10,19}$/.test(t)) return { t, id } as Cursor;
    } catch {}
    addIssue({ message: 'not a cursor this API gave out (use next_cursor as it came)' });
    return NEVER;
  }),
);

export const EventsQuery = v.pipe(
  v.object({
    /** A catalog type by name or key; default: the fallback type (seed 000's generic events). */
    type: v.optional(v.pipe(v.string(), v.minLength(1))),
    from: v.optional(date),
    to: v.optional(date),
    user_id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
    event: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
    limit: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d+$/, 'expected a whole number'),
        v.transform(Number),
        v.minValue(1),
        v.maxValue(1000),
      ),
      '100',
    ),
    cursor: v.optional(cursor),
  }),
  v.forward(
    v.check((q) => !q.from || !q.to || q.from <= q.to, 'from is after to'),
    ['to'],
  ),
);
export type EventsQuery = v.InferOutput<typeof EventsQuery>;

/** The parsed parameters, or the issues naming each bad one. */
export function parseQuery<S extends v.GenericSchema>(
  schema: S,
  query: Record<string, string>,
): { ok: true; value: v.InferOutput<S> } | { ok: false; issues: Issue[] } {
  const parsed = v.safeParse(schema, query);
  if (parsed.success) return { ok: true, value: parsed.output };
  return { ok: false, issues: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })) };
}

/** The parsed parameters of a request; bad ones are a ReaderError naming each (a 400). */
export function paramsOf<S extends v.GenericSchema>(schema: S, query: Record<string, string>): v.InferOutput<S> {
  const parsed = parseQuery(schema, query);
  if (!parsed.ok) throw invalidParameters(parsed.issues);
  return parsed.value;
}
