// What a report is: one definition object per report (a file in reports/, listed in mod.ts), from which the route,
// its part of the OpenAPI document, `npm run report` and the console's reports page are all derived. Its parameters
// and its row are valibot schemas: the parameters are checked by theirs before the query runs, the row's TypeScript
// type is inferred from its schema and its JSON Schema generated from it.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import type { Catalog } from '../../shared/mod.ts';
import type { martNames } from '../../shared/schema/mod.ts';
import type { ClickHouse } from '../../shared/clickhouse/mod.ts';

export interface Report<P extends v.GenericSchema = v.GenericSchema, R extends v.GenericSchema = v.GenericSchema> {
  /** Its route segment (GET /v1/reports/<name>) and its name on the command line. */
  readonly name: string;
  /** One line: the API docs, the command line's usage, the console. */
  readonly summary: string;
  /** Its query parameters (all strings on the wire); a bad one is a 400 naming it. */
  readonly params: P;
  /** One row of the answer, `{ rows: [row, …] }`. */
  readonly row: R;
  /** The marts it reads (shared/schema/marts.ts), by name; none: it reads the event tables. */
  readonly marts?: readonly (keyof typeof martNames)[];
  /** The rows; a ReaderError when the request cannot be answered (an unknown type, nothing to report from). */
  run(ch: ClickHouse, catalog: Catalog, q: v.InferOutput<P>): Promise<v.InferOutput<R>[]>;
}

/** A report's definition, its parameters' and row's types inferred from their schemas. */
export const defineReport = <P extends v.GenericSchema, R extends v.GenericSchema>(report: Report<P, R>) => report;

/** The route of a report. */
export const reportPath = (report: Pick<Report, 'name'>): string => `/v1/reports/${report.name}`;

/** A whole number in a row (a count): `integer` in its JSON Schema. */
export const int = v.pipe(v.number(), v.integer());

/** A report's parameters, in order: each name, and whether it is required. */
export function parametersOf(report: Pick<Report, 'params'>): { name: string; required: boolean }[] {
  const json = toJsonSchema(report.params, { errorMode: 'ignore', typeMode: 'input' });
  return Object.keys(json.properties ?? {}).map((name) => ({ name, required: json.required?.includes(name) ?? false }));
}
