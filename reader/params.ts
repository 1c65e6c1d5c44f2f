// The query parameters of the reading API as valibot schemas: a bad one is a 400 naming it, and only values that
// passed here ever reach a query — as typed query parameters, never spliced into SQL.
import * as v from 'valibot';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = v.pipe(
  v.string(),
  v.regex(DATE, 'expected a date such as 2024-06-01'),
  v.check(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real date',
  ),
);

/** A position in a newest-first listing: the time and event_id of the last row of the previous page. */
export interface Cursor {
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
export function parseQuery<S extends v.GenericSchema>(schema: S, query: Record<string, string>) {
  const parsed = v.safeParse(schema, query);
  if (parsed.success) return { ok: true as const, value: parsed.output as v.InferOutput<S> };
  return {
    ok: false as const,
    issues: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })),
  };
}

/** A whole number of seconds, from 1 to `max`, or `fallback` when left out. */
const seconds = (max: number, fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'expected a whole number of seconds'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(max),
    ),
    fallback,
  );

interface Range {
  from: string;
  to: string;
}
const ordered = (q: Range) => q.from <= q.to;
const withinYear = (q: Range) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000;

/** A report's parameters: `entries` and a date range, both ends inclusive, at most 366 days (checked on `to`). */
const ranged = <E extends v.ObjectEntries>(entries: E) =>
  v.pipe(
    v.object({ from: date, to: date, ...entries }),
    v.forward(
      v.check((q) => ordered(q as Range), 'from is after to'),
      ['to'] as never,
    ),
    v.forward(
      v.check((q) => withinYear(q as Range), 'at most 366 days'),
      ['to'] as never,
    ),
  );

/** A report's date range. */
export const RangeQuery = ranged({});
export type RangeQuery = v.InferOutput<typeof RangeQuery>;

/** A per-type report's parameters: the type (name or key) and the range. */
export const TypeRangeQuery = ranged({ type: v.pipe(v.string(), v.minLength(1)) });

/** The task funnel's parameters: the range and the window a task must be finished in (default an hour). */
export const FunnelQuery = ranged({ window_seconds: seconds(30 * 86_400, '3600') });

/** The sessions report's parameters: the range, the inactivity that ends a session (default 30 min), a type. */
export const SessionsQuery = ranged({
  timeout_seconds: seconds(86_400, '1800'),
  type: v.optional(v.pipe(v.string(), v.minLength(1))),
});
