// A report's date range: its parameters (`from` and `to`, UTC dates, both inclusive, at most 366 days; a bad range is
// named on `to`), the other parameters' building blocks, and the dates in a range.
import * as v from 'valibot';
import { date } from '../params.ts';

interface Range {
  from: string;
  to: string;
}
const ordered = (q: Range) => q.from <= q.to;
const withinYear = (q: Range) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000;

/** A report's parameters: the date range and `entries`. */
export const ranged = <E extends v.ObjectEntries>(entries: E) =>
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

/** The parameters of a report that takes only the range. */
export const RangeQuery = ranged({});
export type RangeQuery = v.InferOutput<typeof RangeQuery>;

/** A whole number of seconds, from 1 to `max`, or `fallback` when left out. */
export const seconds = (max: number, fallback: string) =>
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

/** Every date from `from` to `to`, inclusive (UTC). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The date `days` after (or before) `date`. */
export const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
